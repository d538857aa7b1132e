package dev.cutover.plan;

import java.util.List;

@Doc("A phase: steps run in order.")
public record Phase(
    @Doc("Free text shown in preview and status.") String description,
    @Required @Doc("The steps, in order.") List<Step> steps) {

  public Phase {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
