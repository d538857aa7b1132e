package dev.cutover.steps.dns;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.util.List;

/**
 * The {@code dns-wait} step in the workflow: the wait dns-set ends with, for a change someone else
 * makes. It changes nothing, so it has no undo and takes no part in the TTL choreography; the
 * step's {@code timeout} bounds the wait, the activity's heartbeats say which server answers what.
 */
public final class DnsWaitStep implements StepHandler<DnsWaitSpec> {
  @Override
  public String preview(DnsWaitSpec s, PhaseName phase, Plan plan) {
    return " until every server of "
        + s.dns()
        + " answers "
        + s.record()
        + " "
        + s.typeOrDefault()
        + " "
        + s.value();
  }

  @Override
  public StepDone run(StepCall call, DnsWaitSpec spec) {
    DnsTarget target = DnsTargets.of(call.plan(), spec.dns());
    DnsRecordType type = spec.typeOrDefault();
    String name = DnsNames.absolute(target.zone(), spec.record());
    DnsWaitResult waited =
        call.activities(DnsActivities.class)
            .waitForAnswer(
                new DnsWaitRequest(
                    call.step().name(),
                    target,
                    name,
                    type,
                    List.of(spec.value()),
                    null,
                    spec.interval()));
    return StepDone.of(
        name
            + " "
            + type
            + " "
            + spec.value()
            + ", answered by "
            + DnsText.servers(waited.servers())
            + " after "
            + waited.waitedMillis()
            + " ms");
  }
}
