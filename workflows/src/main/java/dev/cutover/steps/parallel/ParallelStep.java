package dev.cutover.steps.parallel;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/**
 * The {@code parallel} step: a group whose branches the engine runs side by side (it asks {@link
 * ParallelSpec#branches}); the group has no activity of its own.
 */
public final class ParallelStep implements StepHandler<ParallelSpec> {
  /** Nothing of its own reaches a host: its nested steps ask for their own checks. */
  @Override
  public boolean needsPreflight() {
    return false;
  }

  /** The group itself runs no activity; its nested steps run in their own scopes. */
  @Override
  public boolean runsInScope() {
    return false;
  }

  @Override
  public String preview(ParallelSpec s, PhaseName phase, Plan plan) {
    int branches = s.branches().size();
    return " "
        + branches
        + " branches"
        + (s.limit() != null && s.limit() < branches ? ", " + s.limit() + " at once" : "");
  }

  @Override
  public StepDone run(StepCall call, ParallelSpec spec) {
    throw new IllegalStateException(
        "step " + call.step().name() + " is a group: the engine runs its branches");
  }
}
