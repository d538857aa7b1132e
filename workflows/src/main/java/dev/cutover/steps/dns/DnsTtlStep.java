package dev.cutover.steps.dns;

import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code dns-ttl} step in the workflow: reads the record once (its original TTL is what the
 * finish phase and the undo put back), sets the TTL and waits until every server answers it. A
 * lowered TTL makes every later dns-set wait the original TTL first.
 */
public final class DnsTtlStep extends DnsStepHandler {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  @Override
  public StepDone run(StepCall call) {
    Step s = call.step();
    DnsTarget target = DnsTargets.of(call.plan(), s.dns());
    DnsRecordType type = DnsOriginals.type(s);
    String name = DnsNames.absolute(target.zone(), s.record());
    DnsActivities dns = call.activities(DnsActivities.class);
    DnsRecordMemory memory = DnsOriginals.readOnce(call, dns, target, name, type);
    DnsChangeResult result = dns.setTtl(new DnsTtlRequest(s.name(), target, name, type, s.ttl()));
    // Known as lowered from the update on, so a step skipped after a failed wait still makes switches wait and finish restore it.
    call.dns().ttlSet(s.dns(), name, type, s.ttl(), Instant.ofEpochMilli(Workflow.currentTimeMillis()));
    DnsWaitResult waited = dns.waitForAnswer(new DnsWaitRequest(s.name(), target, name, type, result.values(), s.ttl(), s.interval()));
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    call.dns().loweredEverywhere(s.dns(), name, type, now);
    Duration original = memory.original().ttl();
    String summary = name + " " + type + " TTL " + DnsText.ttl(original) + " -> " + DnsText.ttl(s.ttl())
        + (result.changed() ? "" : " (already so)") + ", answered by " + DnsText.servers(waited.servers());
    Instant switchAt = call.dns().switchNotBefore();
    if (switchAt != null && switchAt.isAfter(now)) {
      summary += "; a dns-set waits until " + CLOCK.format(switchAt) + " (the old TTL)";
    }
    return new StepDone(summary, BuiltInUndo.dns(s.kind(), result), null);
  }

  /** Puts the original TTL back: the one read before the run changed anything, else the change's previous one. */
  @Override
  public StepDone undo(StepCall call, BuiltInUndo undo) {
    Step s = call.step();
    DnsTarget target = DnsTargets.of(call.plan(), s.dns());
    DnsRecordType type = DnsOriginals.type(s);
    String name = DnsNames.absolute(target.zone(), s.record());
    DnsRecordMemory memory = call.dns().get(s.dns(), name, type);
    Duration ttl = memory != null ? memory.original().ttl() : undo.dns() == null ? null : undo.dns().previousTtl();
    if (ttl == null) {
      return StepDone.of(name + " " + type + ": nothing to put back (not read or did not exist)");
    }
    return restore(call, target, name, type, ttl);
  }

  /** Sets a record's TTL back and waits until every server answers it; also how the finish phase restores. */
  public static StepDone restore(StepCall call, DnsTarget target, String name, DnsRecordType type, Duration ttl) {
    Step s = call.step();
    DnsActivities dns = call.activities(DnsActivities.class);
    DnsChangeResult result = dns.setTtl(new DnsTtlRequest(s.name(), target, name, type, ttl));
    DnsWaitResult waited = dns.waitForAnswer(new DnsWaitRequest(s.name(), target, name, type, result.values(), ttl, s.interval()));
    call.dns().ttlSet(target.name(), name, type, ttl, Instant.ofEpochMilli(Workflow.currentTimeMillis()));
    return StepDone.of(name + " " + type + " TTL back to " + DnsText.ttl(ttl) + (result.changed() ? "" : " (already so)")
        + ", answered by " + DnsText.servers(waited.servers()));
  }
}
