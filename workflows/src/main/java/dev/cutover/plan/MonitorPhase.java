package dev.cutover.plan;

import java.time.Duration;
import java.util.List;

@Doc("Checks repeated for days after go-live.")
public record MonitorPhase(
    @Doc("Free text shown in preview and status.") String description,
    @Required @Doc("Time between the starts of two checks.") Duration every,
    @Required @YamlName("for") @Doc("How long to keep checking.") Duration duration,
    @Required @Doc("The steps of one check, in order.") List<Step> steps) {

  public MonitorPhase {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
