package dev.cutover.steps.cron;

/**
 * A crontab before and after a change.
 *
 * @param previous the crontab before the change, for the restore
 * @param current the crontab after the change
 * @param changed whether anything was written (false: it was already so)
 */
public record CronChangeResult(CronTable previous, CronTable current, boolean changed) {}
