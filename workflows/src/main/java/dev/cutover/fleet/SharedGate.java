package dev.cutover.fleet;

/**
 * One approval for a whole wave, standing before the same phase of every member's plan.
 *
 * @param before the phase name as in plans ({@code downtime})
 */
public record SharedGate(String name, String before, String description) {}
