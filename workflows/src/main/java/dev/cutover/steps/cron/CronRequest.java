package dev.cutover.steps.cron;

import dev.cutover.plan.Host;

/**
 * A user's crontab on a host.
 *
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host
 * @param user the user whose crontab it is
 */
public record CronRequest(String step, String hostName, Host host, String user) {}
