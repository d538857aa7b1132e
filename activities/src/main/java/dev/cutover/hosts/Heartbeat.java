package dev.cutover.hosts;

import io.temporal.activity.Activity;

/**
 * Where an activity reports its progress: Temporal's heartbeat inside an activity, which throws
 * when the activity is canceled; anything else in tests, which run the activities outside Temporal.
 *
 * @param <P> the activity's progress record (its heartbeat details)
 */
@FunctionalInterface
public interface Heartbeat<P> {
  void beat(P progress);

  /** The running activity's heartbeat; only inside an activity. */
  static <P> Heartbeat<P> ofActivity() {
    return Activity.getExecutionContext()::heartbeat;
  }
}
