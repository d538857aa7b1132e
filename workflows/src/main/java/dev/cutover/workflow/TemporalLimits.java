package dev.cutover.workflow;

import dev.cutover.plan.load.DurationText;
import java.time.Duration;
import java.time.Instant;

/**
 * What Temporal can hold. A timer or a timeout past these fails the workflow task again and again
 * (the SDK cannot convert it, or the server refuses it), so the run checks before it asks, and
 * fails the step or ends the run with a message instead.
 */
final class TemporalLimits {
  /**
   * Longest timer or timeout: the server holds durations as Go's time.Duration (about 292 years)
   * and adds them to the current time; a century is beyond any migration and well inside both.
   */
  static final Duration MAX_DURATION = Duration.ofDays(36_500);

  private TemporalLimits() {}

  /** {@code duration}, or {@link BeyondLimits} naming {@code what} when Temporal cannot hold it. */
  static Duration check(Duration duration, String what) {
    if (duration != null && duration.compareTo(MAX_DURATION) > 0) {
      throw new BeyondLimits(
          what
              + " of "
              + DurationText.format(duration)
              + " is longer than a timer can be ("
              + DurationText.format(MAX_DURATION)
              + ")");
    }
    return duration;
  }

  /** {@code at} plus {@code duration}, checked. */
  static Instant plus(Instant at, Duration duration, String what) {
    return at.plus(check(duration, what));
  }

  /**
   * A duration or time in the plan that Temporal cannot hold; the step fails, or the run ends,
   * saying which.
   */
  static final class BeyondLimits extends RuntimeException {
    BeyondLimits(String message) {
      super(message, null, false, false);
    }
  }
}
