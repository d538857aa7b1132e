package dev.cutover.steps.cron;

/**
 * A user's crontab on a host, as the run's record keeps it: its hash and size, never its content,
 * since crontabs often carry credentials inline. The content itself is saved on the host (see
 * {@link CronActivities}).
 *
 * @param exists whether the user has a crontab
 * @param sha256 the SHA-256 of its content; {@code null} when it does not exist
 * @param activeEntries how many lines schedule a job (not comments, blanks or variables)
 * @param savedAt where a copy of this crontab was saved on the host; {@code null} when none was needed
 */
public record CronState(boolean exists, String sha256, int activeEntries, String savedAt) {}
