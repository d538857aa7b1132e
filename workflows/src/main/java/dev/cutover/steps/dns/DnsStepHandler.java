package dev.cutover.steps.dns;

import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.StepHandler;

/**
 * What dns-ttl and dns-set share: their change may be made before the step fails or is cut short
 * (an update the primary took, not yet seen everywhere), and their undo works from the original the
 * run read first, so it needs no result of the step.
 */
abstract class DnsStepHandler<S extends dev.cutover.plan.StepSpec> implements StepHandler<S> {
  @Override
  public BuiltInUndo undoIfCutShort(Step step, S spec) {
    return DnsUndo.cutShort(step.kind());
  }

  @Override
  public boolean undoWhenFailed() {
    return true;
  }
}
