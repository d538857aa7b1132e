package dev.cutover.steps.cron;

/**
 * A user's crontab as read from a host. It is part of the history (see {@link CronActivities}).
 *
 * @param hostName the host's name in the plan
 * @param user the user
 * @param exists whether the user has a crontab
 * @param content its content; empty when it does not exist
 * @param sha256 the SHA-256 of the content; {@code null} when it does not exist
 * @param activeEntries how many lines schedule a job (not comments, blanks or variables)
 */
public record CronTable(
    String hostName, String user, boolean exists, String content, String sha256, int activeEntries) {

  public CronTable {
    content = content == null ? "" : content;
  }
}
