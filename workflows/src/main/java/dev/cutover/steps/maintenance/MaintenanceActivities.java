package dev.cutover.steps.maintenance;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code maintenance} step: a maintenance page turned on or off, by a flag file the web server
 * looks for or by commands; each is the other's undo.
 *
 * <p>Implementations must be idempotent (turning on a page that is on changes nothing), quote every
 * path they put into a shell command, and raise {@link io.temporal.failure.ApplicationFailure} with
 * the types in {@link dev.cutover.steps.CutoverErrors} for non-retryable errors (permission denied,
 * a command not found).
 */
@ActivityInterface
public interface MaintenanceActivities {
  /** Turns the maintenance page on: writes the flag file, or runs the on command. */
  @ActivityMethod(name = "MaintenanceOn")
  MaintenanceResult on(MaintenanceRequest request);

  /** Turns the maintenance page off: removes the flag file, or runs the off command. */
  @ActivityMethod(name = "MaintenanceOff")
  MaintenanceResult off(MaintenanceRequest request);
}
