package dev.cutover.steps;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.dns.DnsLedger;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * What a {@link StepHandler} needs to run one try of a step.
 *
 * @param plan the plan, to resolve hosts, databases and secrets by name
 * @param phase the phase the step runs in (some kinds act by phase: pg-replicate starts or
 *     finishes)
 * @param step the step
 * @param migration the key activities name what they save on hosts by: the migration's name and its
 *     first run, so a migration started again after an abort never takes the copies an earlier run
 *     saved for its own
 * @param options activity options with the step's timeout, retries and summary
 * @param tryNumber 1 for the first try, more when an operator decided retry after a failure
 * @param dns the DNS records the run has read and changed (their originals, lowered TTLs)
 * @param timeout the step's timeout, or the default when the plan names none
 * @param waits the run's durable timers
 */
public record StepCall(
    Plan plan,
    PhaseName phase,
    Step step,
    String migration,
    ActivityOptions options,
    int tryNumber,
    DnsLedger dns,
    Duration timeout,
    StepWaits waits) {
  /** An activity stub with the step's options. */
  public <T> T activities(Class<T> type) {
    return Workflow.newActivityStub(type, options);
  }
}
