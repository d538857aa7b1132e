package dev.cutover.plan;

import java.time.Duration;
import java.util.List;

@Doc("Lower the DNS TTL, then wait as long as the old TTL so every cache has the short one.")
public record LowerTtlPhase(
    @Doc("Free text shown in preview and status.") String description,
    @Doc(
            "The TTL the records had before; the workflow waits this long after the steps. Default: the longest original TTL the phase's dns-ttl steps found (required without dns-ttl steps).")
        Duration oldTtl,
    @Doc("The steps, in order.") List<Step> steps) {

  public LowerTtlPhase {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
