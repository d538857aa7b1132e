package dev.cutover.hosts;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/**
 * Waiting inside an activity. A worker told to stop interrupts its activity threads: the wait ends
 * with a retryable failure ({@link CutoverErrors#INTERRUPTED}), so another worker takes the step
 * up, and the thread keeps its interrupt for whoever stops it.
 */
public final class Pause {
  private Pause() {}

  /**
   * Sleeps for {@code duration}.
   *
   * @param where what was waiting, for the failure: "step sync on host old", "dropping a
   *     replication slot"
   */
  public static void sleep(Duration duration, String where) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      throw interrupted(where);
    }
  }

  /**
   * The failure for a wait that {@code where} was in when the worker interrupted it; keeps the
   * interrupt.
   */
  public static ApplicationFailure interrupted(String where) {
    Thread.currentThread().interrupt();
    return ApplicationFailure.newFailure(where + ": worker interrupted", CutoverErrors.INTERRUPTED);
  }
}
