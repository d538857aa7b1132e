package dev.cutover.preflight;

import dev.cutover.plan.Host;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.StepHandler;
import dev.cutover.steps.StepKinds;
import java.util.ArrayList;
import java.util.List;

/**
 * Works out from the plan what preflight must check, by asking each step's handler what its spec
 * needs ({@link StepHandler#preflightNeeds}). Pure: runs in workflow code.
 */
public final class Preflight {
  /** The name preflight has among the steps in status, and that `decide` takes when it blocks. */
  public static final String STEP = Step.PREFLIGHT;

  private Preflight() {}

  /** Whether the plan needs preflight: it reaches a host over ssh or has a step whose kind needs it. */
  public static boolean needed(Plan plan) {
    if (plan.hosts().values().stream().anyMatch(Host::usesSsh)) {
      return true;
    }
    // Checks and notifications reach no host of the plan: nothing for preflight to look at.
    return allSteps(plan).stream().anyMatch(p -> StepKinds.handler(p.step().kind()).needsPreflight());
  }

  public static PreflightRequest request(Plan plan) {
    PreflightCollector needs = new PreflightCollector(plan);
    for (PhasedStep p : allSteps(plan)) {
      Step s = p.step();
      needs.reachable(s.hosts(), s.spec().sudo());
      StepKinds.handler(s.kind()).preflightNeeds(needs, s, s.spec(), p.phase(), plan);
    }
    return needs.request();
  }

  /** A step of the plan (or an undo) with the phase it runs in. */
  record PhasedStep(PhaseName phase, Step step) {}

  static List<PhasedStep> allSteps(Plan plan) {
    List<PhasedStep> all = new ArrayList<>();
    for (PhaseName phase : plan.phases().present()) {
      for (Step s : plan.phases().steps(phase)) {
        all.add(new PhasedStep(phase, s));
        if (s.undo() != null) {
          all.add(new PhasedStep(phase, s.undo()));
        }
      }
    }
    return all;
  }
}
