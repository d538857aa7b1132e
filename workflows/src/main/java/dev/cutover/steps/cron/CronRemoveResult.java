package dev.cutover.steps.cron;

/**
 * The user's crontab before and after a remove (or its undo), as counts and where the original is
 * saved, never its content.
 *
 * @param before the crontab the remove found first; its saved copy is what the undo installs again
 * @param after the crontab now
 * @param changed whether anything was written (false: it was already so)
 */
public record CronRemoveResult(CronState before, CronState after, boolean changed) {}
