package dev.cutover.steps.wait;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.DurationText;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/** The {@code wait} step: a durable timer, no activity. */
public final class WaitStep implements StepHandler<WaitSpec> {
  /** A timer is not cancelled with the activities' scope: an abort ends the wait by itself. */
  @Override
  public boolean runsInScope() {
    return false;
  }

  /** Reaches no host of the plan, or needs nothing checked first. */
  @Override
  public boolean needsPreflight() {
    return false;
  }

  @Override
  public String preview(WaitSpec s, PhaseName phase, Plan plan) {
    return " [timer] " + DurationText.format(s.duration());
  }

  @Override
  public StepDone run(StepCall call, WaitSpec spec) {
    call.waits().sleep(spec.duration(), "wait step " + call.step().name());
    return StepDone.of(null);
  }
}
