package dev.cutover.steps.dns;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.load.DurationText;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepWaits;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code dns-set} step in the workflow: reads the record once (what the undo puts back), sets
 * the new value (the activity refuses a record holding neither the expected nor the new value),
 * then waits until every server answers it. The wait for a lowered TTL happens before, in {@link
 * #beforeRun}, as a durable timer.
 */
public final class DnsSetStep extends DnsStepHandler<DnsSetSpec> {
  /**
   * A record's value may change only once every resolver has dropped the long TTL it cached before
   * the TTL was lowered: a durable timer until then, which the UI shows with its reason.
   */
  @Override
  public void beforeRun(StepWaits waits, DnsLedger dns, Step step, DnsSetSpec spec) {
    Instant until = dns.switchNotBefore();
    // A dns-set run as an undo puts things back: nothing to wait for, and the abort must not cut it
    // short.
    if (until != null
        && !waits.aborting()
        && Instant.ofEpochMilli(Workflow.currentTimeMillis()).isBefore(until)) {
      String records =
          dns.lowered().stream()
              .map(m -> m.name() + " " + m.type())
              .distinct()
              .collect(Collectors.joining(", "));
      waits.sleepUntil(until, "wait out the old DNS TTL of " + records + " before " + step.name());
    }
  }

  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, DnsSetSpec s, PhaseName phase, Plan plan) {
    DnsPreflightNeeds.record(
        needs,
        plan,
        step.name(),
        s.dns(),
        s.record(),
        s.typeOrDefault(),
        s.expectValue(),
        s.value());
  }

  @Override
  public String preview(DnsSetSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.dns()
        + ": "
        + s.record()
        + " "
        + s.typeOrDefault().name()
        + (s.expectValue() == null ? "" : " " + s.expectValue())
        + " -> "
        + s.value()
        + (s.ttl() == null ? "" : " (TTL " + DurationText.format(s.ttl()) + ")")
        + ", then wait until every server answers it";
  }

  @Override
  public StepDone run(StepCall call, DnsSetSpec spec) {
    DnsSetSpec s = call.step().spec(DnsSetSpec.class);
    DnsTarget target = DnsTargets.of(call.plan(), s.dns());
    DnsRecordType type = s.typeOrDefault();
    String name = DnsNames.absolute(target.zone(), s.record());
    DnsActivities dns = call.activities(DnsActivities.class);
    DnsRecordMemory memory = DnsOriginals.readOnce(call, dns, target, name, type);
    List<String> expected = s.expectValue() == null ? List.of() : List.of(s.expectValue());
    DnsChangeResult result =
        dns.setRecord(
            new DnsSetRequest(
                call.step().name(), target, name, type, List.of(s.value()), s.ttl(), expected));
    DnsWaitResult waited =
        dns.waitForAnswer(
            new DnsWaitRequest(
                call.step().name(), target, name, type, result.values(), s.ttl(), s.interval()));
    String summary =
        name
            + " "
            + type
            + " "
            + DnsText.values(memory.original().values())
            + " -> "
            + DnsText.values(result.values())
            + " (TTL "
            + DnsText.ttl(result.ttl())
            + ")"
            + (result.changed() ? "" : " already so")
            + ", answered by "
            + DnsText.servers(waited.servers())
            + " after "
            + waited.waitedMillis()
            + " ms";
    return new StepDone(summary, DnsUndo.of(call.step().kind(), result), null);
  }

  /**
   * Puts the original values back (or removes a record that did not exist), only while the record
   * still holds what the step set: a value someone changed since stops the undo with StateConflict.
   */
  @Override
  public StepDone undo(StepCall call, DnsSetSpec spec, BuiltInUndo undo) {
    DnsSetSpec s = call.step().spec(DnsSetSpec.class);
    DnsTarget target = DnsTargets.of(call.plan(), s.dns());
    DnsRecordType type = s.typeOrDefault();
    String name = DnsNames.absolute(target.zone(), s.record());
    DnsRecordMemory memory = call.dns().get(s.dns(), name, type);
    List<String> back;
    java.time.Duration ttl;
    if (memory != null) {
      back = memory.original().exists() ? memory.original().values() : List.of();
      ttl = memory.original().ttl();
    } else if (((DnsUndo) undo).dns() != null) {
      DnsChangeResult change = ((DnsUndo) undo).dns();
      back = change.previousExisted() ? change.previousValues() : List.of();
      ttl = change.previousTtl();
    } else {
      return StepDone.of(
          name + " " + type + ": nothing to put back (the step stopped before it read the record)");
    }
    DnsActivities dns = call.activities(DnsActivities.class);
    // A step that set its own TTL puts the original back with the values; otherwise the TTL is left
    // to dns-ttl's undo.
    java.time.Duration backTtl = s.ttl() != null && !back.isEmpty() ? ttl : null;
    DnsChangeResult result =
        dns.setRecord(
            new DnsSetRequest(
                call.step().name(), target, name, type, back, backTtl, List.of(s.value())));
    DnsWaitResult waited =
        dns.waitForAnswer(
            new DnsWaitRequest(
                call.step().name(), target, name, type, back, backTtl, s.interval()));
    return StepDone.of(
        name
            + " "
            + type
            + (back.isEmpty() ? " removed" : " back to " + DnsText.values(back))
            + (result.changed() ? "" : " (already so)")
            + ", answered by "
            + DnsText.servers(waited.servers()));
  }
}
