package dev.cutover.steps.pgswitch;

import dev.cutover.steps.postgres.PgEndpoint;
import java.time.Duration;

/**
 * Where clients are held while a switch runs: they wait there instead of getting an error. Prepared
 * before the freeze, so holding, repointing and releasing cost no connection set-up.
 */
public interface SwitchHold extends AutoCloseable {

  /**
   * Before the freeze: connects, reads where it points, checks it can repoint. Clients see nothing.
   */
  void prepare();

  /**
   * Before the freeze, after {@link #prepare()}: readies {@link #pointAt} of {@code target} so it
   * costs as little as it can inside the freeze. Clients see nothing.
   */
  default void stage(PgEndpoint target) {}

  /**
   * Clients wait from now on; returns once no server connection is in use, or fails past timeout.
   */
  void hold(Duration timeout);

  /**
   * While holding, before the commit point: starts putting the repoint to {@code target} in place
   * without making it live, alongside the catch-up, so {@link #pointAt} after the commit point has
   * only to make it live. Safe only while holding: nothing reaches a server before the release, and
   * every release follows a {@link #pointAt}. Returns at once.
   */
  default void startRepoint(PgEndpoint target) {}

  /**
   * Waits for what {@link #startRepoint} started and throws its failure: called before the commit
   * point, so a repoint that cannot happen still aborts the switch.
   */
  default void awaitRepoint() {}

  /** Points at {@code target} while holding; idempotent. */
  void pointAt(PgEndpoint target);

  /** Whether it points at {@code target} now (read again, for a retry after a worker died). */
  boolean pointsAt(PgEndpoint target);

  /** Clients go on, to wherever it points now; idempotent, also when not holding. */
  void release();

  /** For messages: {@code pgbouncer on old:6432, database shop}. */
  String describe();

  @Override
  void close();
}
