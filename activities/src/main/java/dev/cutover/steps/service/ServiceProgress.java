package dev.cutover.steps.service;

/**
 * Heartbeat details of a {@code service} step: how long it has run and what it is doing (the fields
 * the CLI shows for a running command), and the state the step found before it acted. Temporal
 * hands the last details to the next attempt of the same activity, so a retry reports the state the
 * first attempt read, not the one an earlier attempt left behind.
 *
 * @param elapsedMillis time since this attempt began
 * @param lastLine what the attempt is doing, or the last line of the command's output
 * @param found the state the first attempt read, before any attempt acted; {@code null} until read
 */
public record ServiceProgress(long elapsedMillis, String lastLine, FoundState found) {

  /**
   * The state before the action: systemd's two states, or for a custom service whether its check
   * already said the action's state was reached ({@code null} without a check).
   */
  public record FoundState(String active, String enabled, Boolean reached) {}
}
