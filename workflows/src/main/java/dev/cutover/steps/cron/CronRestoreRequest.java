package dev.cutover.steps.cron;

import dev.cutover.plan.Host;

/**
 * The undo of a disable or an install.
 *
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host the change was made on
 * @param user the user
 * @param change the result of the change being undone: its {@code previous} crontab is put back
 *     if the host still has its {@code current} one
 */
public record CronRestoreRequest(
    String step, String hostName, Host host, String user, CronChangeResult change) {}
