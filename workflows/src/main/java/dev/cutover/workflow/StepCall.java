package dev.cutover.workflow;

import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;

/**
 * What a {@link StepHandler} needs to run one attempt of a step.
 *
 * @param plan the plan, to resolve hosts and secrets by name
 * @param step the step
 * @param migration the migration's name, which activities use to name what they save on hosts
 * @param options activity options with the step's timeout, retries and summary
 */
public record StepCall(Plan plan, Step step, String migration, ActivityOptions options) {
  /** An activity stub with the step's options. */
  public <T> T activities(Class<T> type) {
    return Workflow.newActivityStub(type, options);
  }
}
