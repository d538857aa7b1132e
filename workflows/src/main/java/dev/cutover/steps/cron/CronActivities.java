package dev.cutover.steps.cron;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code cron} step: a user's crontab moved from the old host to the new one: saved on both
 * hosts, installed on the new host, then disabled on the old one; the undo restores both. With
 * {@code action: remove}, a user's crontab saved and removed on one host; the undo installs it
 * again.
 *
 * <p>The content travels from host to host through the worker and is saved on each host (in the
 * connecting user's {@code ~/.cutover/MIGRATION-RUN/STEP/}, see {@link CronMoveRequest#migration});
 * the history keeps only whether each crontab exists and its entry count (see {@link CronState}).
 *
 * <p>Implementations must be idempotent (a retry after a crash finds the saved copies and finishes
 * the move without saving the already-moved state over them), quote the user name in every shell
 * command, and raise {@link io.temporal.failure.ApplicationFailure} with the types in {@link
 * dev.cutover.steps.CutoverErrors} for non-retryable errors (an unknown user, crontab missing,
 * permission denied, a different crontab on the new host without {@code replace}).
 */
@ActivityInterface
public interface CronActivities {
  /**
   * Saves both crontabs on their hosts, installs the old one on the new host and disables it on the
   * old.
   */
  @ActivityMethod(name = "CronMove")
  CronMoveResult move(CronMoveRequest request);

  /**
   * The undo: puts both crontabs back from their saved copies (removes the new host's if it had
   * none). A crontab edited on a host since the move is not overwritten: the step stops with a
   * non-retryable failure that says so.
   */
  @ActivityMethod(name = "CronRestore")
  CronMoveResult restore(CronRestoreRequest request);

  /**
   * {@code action: remove}: saves the user's crontab on the host (once: a retry keeps the first
   * copy), then removes it. A user without a crontab is not an error: nothing changes.
   */
  @ActivityMethod(name = "CronRemove")
  CronRemoveResult remove(CronRemoveRequest request);

  /**
   * The undo of a remove: installs the saved crontab again. A crontab installed since the remove is
   * not overwritten: the step stops with a non-retryable failure that says so.
   */
  @ActivityMethod(name = "CronRestoreRemoved")
  CronRemoveResult restoreRemoved(CronRemoveRequest request);
}
