package dev.cutover.steps.maintenance;

/**
 * The page's state before and after.
 *
 * @param wasOn whether the page was on before; {@code null} when a command mode has no check
 *     command to tell
 * @param on whether it is on now
 * @param changed whether anything was done (false: it was already so)
 */
public record MaintenanceResult(Boolean wasOn, boolean on, boolean changed) {}
