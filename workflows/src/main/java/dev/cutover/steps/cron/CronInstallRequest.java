package dev.cutover.steps.cron;

import dev.cutover.plan.Host;

/**
 * A crontab to install for a user on a host, usually the one saved from the old host.
 *
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host
 * @param user the user
 * @param table the crontab to put in place; one that does not exist means the user's crontab is
 *     removed
 * @param replace whether a different crontab already on the host may be replaced; when false, one
 *     that differs stops the step before anything is changed
 */
public record CronInstallRequest(
    String step, String hostName, Host host, String user, CronTable table, boolean replace) {}
