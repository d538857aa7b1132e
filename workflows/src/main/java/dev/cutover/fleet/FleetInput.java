package dev.cutover.fleet;

/** The fleet workflow's input: the fleet as loaded, plans with secret references only. */
public record FleetInput(Fleet fleet) {}
