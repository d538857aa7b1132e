package dev.cutover.steps.run;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The {@code run} step: a command on a host. */
@ActivityInterface
public interface RunActivities {
  /**
   * Runs the command and returns its exit code and output tail. A non-zero exit raises a retryable
   * {@code CommandFailed} failure whose details are the {@link RunResult}.
   */
  @ActivityMethod(name = "RunCommand")
  RunResult run(RunRequest request);
}
