package dev.cutover.preflight;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Checks, before anything changes, that every host of the plan is reachable with a verified host
 * key and working authentication, that the tools the steps use are there, that sudo works where it
 * is used, that each rsync target has room for its tree and that the host running rsync can reach
 * the other host. It changes nothing on any host.
 */
@ActivityInterface
public interface PreflightActivities {
  /**
   * Runs every check and returns them all; when one fails, raises a non-retryable {@code
   * PreflightFailed} failure whose message lists each failed check (and whose details are the
   * report).
   */
  @ActivityMethod(name = "Preflight")
  PreflightReport check(PreflightRequest request);
}
