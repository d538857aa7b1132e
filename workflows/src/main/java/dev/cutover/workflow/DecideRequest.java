package dev.cutover.workflow;

/** A decision on a blocked step: the one JSON argument of signal {@code decide} and update {@code decideStep}. */
public record DecideRequest(String step, DecisionAction action, String comment, String by) {}
