package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import java.time.Duration;

/**
 * Keeps a switch's heartbeat going from a thread of its own, every {@link #EVERY}, with the last
 * progress the section reported. With the step's heartbeat timeout of a few seconds a dead worker
 * is noticed soon, while a slow statement or SSH connection of a live one never looks like a death
 * (which would start a second attempt beside the first). The section's own thread never waits for
 * Temporal: inside the freeze a heartbeat costs it nothing. A failure of the heartbeat (the
 * activity was canceled or timed out) reaches the section at its next report.
 */
final class HeartbeatPump<P> implements Heartbeat<P>, AutoCloseable {
  /** Well inside the step's heartbeat timeout (5 s; 2 s in workflows started before). */
  static final Duration EVERY = Duration.ofMillis(400);

  private final Heartbeat<P> target;
  private final Thread thread;
  private volatile P last;
  private volatile RuntimeException failed;
  private volatile boolean closed;

  HeartbeatPump(Heartbeat<P> target, P first) {
    this.target = target;
    this.last = first;
    target.beat(first);
    this.thread = new Thread(this::pump, "pg-switch-heartbeat");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void beat(P progress) {
    last = progress;
    RuntimeException f = failed;
    if (f != null) {
      throw f;
    }
  }

  private void pump() {
    while (!closed) {
      try {
        Thread.sleep(EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      try {
        target.beat(last);
      } catch (RuntimeException e) {
        failed = e;
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
