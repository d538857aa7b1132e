package dev.cutover.plan.load;

import java.util.List;
import java.util.stream.Collectors;

/** A plan that cannot run, with every problem found, not only the first. */
public class InvalidPlanException extends Exception {
  private final List<PlanProblem> problems;

  public InvalidPlanException(List<PlanProblem> problems) {
    super(problems.stream().map(PlanProblem::format).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<PlanProblem> problems() {
    return problems;
  }
}
