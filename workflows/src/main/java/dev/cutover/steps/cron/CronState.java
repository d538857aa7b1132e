package dev.cutover.steps.cron;

/**
 * A user's crontab on a host, as the run's record keeps it: whether it exists and its size, never
 * its content nor a hash of it, since crontabs often carry credentials inline (a hash of a crontab
 * of known shape with a short password could be guessed offline). The content itself is saved on
 * the host (see {@link CronActivities}), and that copy is what the undo compares with.
 *
 * @param exists whether the user has a crontab
 * @param activeEntries how many lines schedule a job (not comments, blanks or variables)
 * @param savedAt where a copy of this crontab was saved on the host; {@code null} when none was
 *     needed
 */
public record CronState(boolean exists, int activeEntries, String savedAt) {}
