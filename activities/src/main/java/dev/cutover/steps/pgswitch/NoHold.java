package dev.cutover.steps.pgswitch;

import dev.cutover.steps.postgres.PgEndpoint;
import java.time.Duration;

/**
 * No holding point: the application connects to the database directly. Its sessions are cut at the
 * freeze, and it gets an error until it reconnects where its own configuration says (an {@code
 * inside} command may repoint it).
 */
public final class NoHold implements SwitchHold {
  @Override
  public void prepare() {}

  @Override
  public void hold(Duration timeout) {}

  @Override
  public void pointAt(PgEndpoint target) {}

  /** Nothing points anywhere; so a retry never waits on it, it points wherever it is asked. */
  @Override
  public boolean pointsAt(PgEndpoint target) {
    return true;
  }

  @Override
  public void release() {}

  @Override
  public String describe() {
    return null;
  }

  @Override
  public void close() {}
}
