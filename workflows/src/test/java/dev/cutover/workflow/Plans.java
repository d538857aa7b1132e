package dev.cutover.workflow;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;

/** Plans for workflow tests, written as operators write them. */
final class Plans {
  private Plans() {}

  static Plan parse(String yaml) {
    try {
      return PlanLoader.parse("test-plan.yaml", yaml);
    } catch (InvalidPlanException e) {
      throw new AssertionError("test plan is invalid:\n" + e.getMessage(), e);
    }
  }
}
