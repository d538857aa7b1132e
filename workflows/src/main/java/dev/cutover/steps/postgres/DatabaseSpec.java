package dev.cutover.steps.postgres;

import dev.cutover.plan.StepSpec;

/** A spec of a kind that acts on the plan's databases, not its hosts: activities name the databases. */
public interface DatabaseSpec extends StepSpec {
  @Override
  default String activityPlace() {
    return placeText();
  }
}
