package dev.cutover.fleet;

import dev.cutover.plan.Doc;

/** What a service blocked on a failure (waiting for a decision) does to the rest of the fleet. */
public enum FleetFailurePolicy {
  @Doc(
      "Start no other service and open no shared gate until the blocked service is decided on; services already in flight go on.")
  HOLD,
  @Doc(
      "Go on with the rest of the wave and the next waves; only services that depend on the failed one wait for it.")
  CONTINUE
}
