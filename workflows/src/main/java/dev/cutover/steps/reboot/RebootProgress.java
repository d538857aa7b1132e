package dev.cutover.steps.reboot;

/**
 * Heartbeat details while a host reboots.
 *
 * @param state {@code rebooting} (still up with the old boot id), {@code down} (not answering) or
 *     {@code back}
 * @param elapsedMillis since the reboot command
 * @param lastAnswer what the last try to reach the host met, like {@code connection refused}
 */
public record RebootProgress(String state, long elapsedMillis, String lastAnswer) {}
