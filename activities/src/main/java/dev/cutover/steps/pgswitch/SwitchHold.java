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
   * Clients wait from now on; returns once no server connection is in use, or fails past timeout.
   */
  void hold(Duration timeout);

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
