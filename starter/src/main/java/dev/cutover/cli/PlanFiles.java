package dev.cutover.cli;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.plan.load.PlanProblem;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Loads a plan for a command; a bad plan ends the command with exit code 2 and every problem
 * listed.
 */
final class PlanFiles {
  private PlanFiles() {}

  static Plan load(Path file, PrintWriter err) {
    try {
      return PlanLoader.load(file);
    } catch (InvalidPlanException e) {
      throw refused(file, e, err);
    }
  }

  /**
   * Lists every problem of a refused file (plan, fleet, template) on {@code err} and says nothing
   * was started: the failure that ends the command with exit code 2.
   */
  static CliFailure refused(Path file, InvalidPlanException e, PrintWriter err) {
    for (PlanProblem p : e.problems()) {
      err.println(p.format());
    }
    err.flush();
    return new CliFailure(
        ExitCode.INVALID_INPUT,
        file + ": " + e.problems().size() + " problem(s); nothing was started");
  }
}
