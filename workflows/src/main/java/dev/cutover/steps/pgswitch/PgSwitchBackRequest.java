package dev.cutover.steps.pgswitch;

/**
 * The way back after a switch: {@code switched} is the request the switch ran with; the way back
 * runs the same section from its {@code to} to its {@code from}, through the replication back.
 *
 * @param switched the switch's own request
 * @param switchedResult what the switch reported; {@code null} for a switch cut short
 */
public record PgSwitchBackRequest(PgSwitchRequest switched, PgSwitchResult switchedResult) {}
