package dev.cutover.steps;

import java.time.Duration;
import java.time.Instant;

/**
 * Durable timers the engine keeps for a step (shown in the UI with their reason, cut short by an
 * abort).
 */
public interface StepWaits {
  /** Sleeps for {@code duration}; an abort that arrives first ends the step. */
  void sleep(Duration duration, String reason);

  void sleepUntil(Instant until, String reason);

  /** Whether the run is aborting: a step run as an undo must not wait then. */
  boolean aborting();
}
