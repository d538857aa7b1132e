package dev.cutover.steps.cron;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code cron} step: a user's crontab saved from the old host into the run's record, disabled
 * there and installed on the new host; the undo restores both.
 *
 * <p>This is the contract only; its implementation lands with the SSH issue. Implementations must
 * be idempotent (disabling a disabled crontab, installing content that is already installed or
 * restoring one already restored changes nothing), quote the user name in every shell command, and
 * raise {@link io.temporal.failure.ApplicationFailure} with the types in {@link
 * dev.cutover.workflow.CutoverErrors} for non-retryable errors (an unknown user, crontab missing,
 * permission denied).
 *
 * <p>A crontab's content is recorded in the history as it is: a plan must not move crontabs that
 * hold secret values inline.
 */
@ActivityInterface
public interface CronActivities {
  /** Reads the user's crontab into the result; changes nothing. */
  @ActivityMethod(name = "CronSave")
  CronTable save(CronRequest request);

  /**
   * Leaves the user without active entries on the host. The result holds the crontab as it was, for
   * the restore.
   */
  @ActivityMethod(name = "CronDisable")
  CronChangeResult disable(CronRequest request);

  /**
   * Installs the saved crontab for the user on another host. The result holds what that host had
   * before, for the restore.
   */
  @ActivityMethod(name = "CronInstall")
  CronChangeResult install(CronInstallRequest request);

  /**
   * The undo of a disable or an install: puts the crontab back as it was before that change
   * (removes it if there was none). A crontab edited on the host since the change is not
   * overwritten: the step stops with a non-retryable failure that says so.
   */
  @ActivityMethod(name = "CronRestore")
  CronChangeResult restore(CronRestoreRequest request);
}
