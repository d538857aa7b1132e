package dev.cutover.steps.dns;

import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import java.util.List;

/**
 * The {@code dns-set} step in the workflow: reads the record once (what the undo puts back), sets
 * the new value (the activity refuses a record holding neither the expected nor the new value),
 * then waits until every server answers it. The wait for a lowered TTL happens before, in the
 * executor, as a durable timer.
 */
public final class DnsSetStep extends DnsStepHandler {
  @Override
  public StepDone run(StepCall call) {
    Step s = call.step();
    DnsTarget target = DnsTargets.of(call.plan(), s.dns());
    DnsRecordType type = DnsOriginals.type(s);
    String name = DnsNames.absolute(target.zone(), s.record());
    DnsActivities dns = call.activities(DnsActivities.class);
    DnsRecordMemory memory = DnsOriginals.readOnce(call, dns, target, name, type);
    List<String> expected = s.expectValue() == null ? List.of() : List.of(s.expectValue());
    DnsChangeResult result = dns.setRecord(new DnsSetRequest(s.name(), target, name, type, List.of(s.value()), s.ttl(), expected));
    DnsWaitResult waited = dns.waitForAnswer(new DnsWaitRequest(s.name(), target, name, type, result.values(), s.ttl(), s.interval()));
    String summary = name + " " + type + " " + DnsText.values(memory.original().values()) + " -> " + DnsText.values(result.values())
        + " (TTL " + DnsText.ttl(result.ttl()) + ")" + (result.changed() ? "" : " already so")
        + ", answered by " + DnsText.servers(waited.servers()) + " after " + waited.waitedMillis() + " ms";
    return new StepDone(summary, BuiltInUndo.dns(s.kind(), result), null);
  }

  /**
   * Puts the original values back (or removes a record that did not exist), only while the record
   * still holds what the step set: a value someone changed since stops the undo with StateConflict.
   */
  @Override
  public StepDone undo(StepCall call, BuiltInUndo undo) {
    Step s = call.step();
    DnsTarget target = DnsTargets.of(call.plan(), s.dns());
    DnsRecordType type = DnsOriginals.type(s);
    String name = DnsNames.absolute(target.zone(), s.record());
    DnsRecordMemory memory = call.dns().get(s.dns(), name, type);
    List<String> back;
    java.time.Duration ttl;
    if (memory != null) {
      back = memory.original().exists() ? memory.original().values() : List.of();
      ttl = memory.original().ttl();
    } else if (undo.dns() != null) {
      back = undo.dns().previousExisted() ? undo.dns().previousValues() : List.of();
      ttl = undo.dns().previousTtl();
    } else {
      return StepDone.of(name + " " + type + ": nothing to put back (the step stopped before it read the record)");
    }
    DnsActivities dns = call.activities(DnsActivities.class);
    // A step that set its own TTL puts the original back with the values; otherwise the TTL is left to dns-ttl's undo.
    java.time.Duration backTtl = s.ttl() != null && !back.isEmpty() ? ttl : null;
    DnsChangeResult result = dns.setRecord(new DnsSetRequest(s.name(), target, name, type, back, backTtl, List.of(s.value())));
    DnsWaitResult waited = dns.waitForAnswer(new DnsWaitRequest(s.name(), target, name, type, back, backTtl, s.interval()));
    return StepDone.of(name + " " + type + (back.isEmpty() ? " removed" : " back to " + DnsText.values(back))
        + (result.changed() ? "" : " (already so)") + ", answered by " + DnsText.servers(waited.servers()));
  }
}
