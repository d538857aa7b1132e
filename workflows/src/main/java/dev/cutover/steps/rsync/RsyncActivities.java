package dev.cutover.steps.rsync;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code rsync} step: a tree copied from one host to another.
 *
 * <p>Implementations must be idempotent (a second run after a worker crash leaves the same tree,
 * and with {@code partial} resumes the interrupted files), quote every path they put into a shell
 * command, and raise {@link io.temporal.failure.ApplicationFailure} with the types in {@link
 * dev.cutover.steps.CutoverErrors} for non-retryable errors (bad configuration, authentication
 * failure, host key mismatch, rsync missing on a host). A transfer cut in the middle is retryable.
 */
@ActivityInterface
public interface RsyncActivities {
  /**
   * Copies the contents of {@link RsyncRequest#sourcePath()} into {@link
   * RsyncRequest#targetPath()}, heartbeating {@link RsyncProgress} while it runs, and returns
   * rsync's statistics.
   */
  @ActivityMethod(name = "RsyncTree")
  RsyncResult sync(RsyncRequest request);
}
