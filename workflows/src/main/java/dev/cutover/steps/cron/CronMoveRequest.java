package dev.cutover.steps.cron;

import dev.cutover.plan.Host;

/**
 * A user's crontab to move from one host to another.
 *
 * @param migration the migration's name and 8 characters of its first run's id: saved copies live
 *     in a directory named after it and the step, so a retry finds what the first attempt saved
 * @param step the step's name in the plan
 * @param fromName the old host's name in the plan
 * @param from the old host
 * @param toName the new host's name in the plan
 * @param to the new host
 * @param user the user whose crontab moves (the same name on both hosts)
 * @param replace whether a different crontab already on the new host may be replaced; when false,
 *     one that differs stops the step before anything is changed
 * @param sudo the step's own sudo setting; {@code null} to use each host's
 */
public record CronMoveRequest(
    String migration,
    String step,
    String fromName,
    Host from,
    String toName,
    Host to,
    String user,
    boolean replace,
    Boolean sudo) {}
