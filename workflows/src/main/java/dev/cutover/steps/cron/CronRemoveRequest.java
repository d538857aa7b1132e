package dev.cutover.steps.cron;

import dev.cutover.plan.Host;

/**
 * A user's crontab to save and remove on one host ({@code cron} with {@code action: remove}), as an
 * old host is tidied up after the switch.
 *
 * @param migration the migration's name and 8 characters of its first run's id: the saved copy
 *     lives in a directory named after it and the step, so a retry and the undo find it
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host
 * @param user the user whose crontab is removed
 * @param sudo the step's own sudo setting; {@code null} to use the host's
 */
public record CronRemoveRequest(
    String migration, String step, String hostName, Host host, String user, Boolean sudo) {}
