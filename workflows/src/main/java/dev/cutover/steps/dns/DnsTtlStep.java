package dev.cutover.steps.dns;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.load.DurationText;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.FinishWork;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dns-ttl} step in the workflow: reads the record once (its original TTL is what the
 * finish phase and the undo put back), sets the TTL and waits until every server answers it. A
 * lowered TTL makes every later dns-set wait the original TTL first.
 */
public final class DnsTtlStep extends DnsStepHandler<DnsTtlSpec> {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, DnsTtlSpec s, PhaseName phase, Plan plan) {
    DnsPreflightNeeds.record(
        needs, plan, step.name(), s.dns(), s.record(), s.typeOrDefault(), null, null);
  }

  @Override
  public String preview(DnsTtlSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.dns()
        + ": "
        + s.record()
        + " "
        + s.typeOrDefault().name()
        + " TTL -> "
        + DurationText.format(s.ttl())
        + ", then every server answers it"
        // Only a TTL lowered before the finish phase is waited out by a dns-set and put back at the
        // end.
        + (phase == PhaseName.FINISH
            ? ""
            : "; a dns-set waits out the old TTL, the finish phase puts it back");
  }

  @Override
  public StepDone run(StepCall call, DnsTtlSpec spec) {
    DnsTtlSpec s = call.step().spec(DnsTtlSpec.class);
    DnsTarget target = DnsTargets.of(call.plan(), s.dns());
    DnsRecordType type = s.typeOrDefault();
    String name = DnsNames.absolute(target.zone(), s.record());
    DnsActivities dns = call.activities(DnsActivities.class);
    DnsRecordMemory memory = DnsOriginals.readOnce(call, dns, target, name, type);
    DnsChangeResult result =
        dns.setTtl(new DnsTtlRequest(call.step().name(), target, name, type, s.ttl()));
    // Known as lowered from the update on, so a step skipped after a failed wait still makes
    // switches wait and finish restore it.
    call.dns()
        .ttlSet(s.dns(), name, type, s.ttl(), Instant.ofEpochMilli(Workflow.currentTimeMillis()));
    DnsWaitResult waited =
        dns.waitForAnswer(
            new DnsWaitRequest(
                call.step().name(), target, name, type, result.values(), s.ttl(), s.interval()));
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    call.dns().loweredEverywhere(s.dns(), name, type, now);
    Duration original = memory.original().ttl();
    String summary =
        name
            + " "
            + type
            + " TTL "
            + DnsText.ttl(original)
            + " -> "
            + DnsText.ttl(s.ttl())
            + (result.changed() ? "" : " (already so)")
            + ", answered by "
            + DnsText.servers(waited.servers());
    Instant switchAt = call.dns().switchNotBefore();
    if (switchAt != null && switchAt.isAfter(now)) {
      summary += "; a dns-set waits until " + CLOCK.format(switchAt) + " (the old TTL)";
    }
    return new StepDone(summary, DnsUndo.of(call.step().kind(), result), null);
  }

  /**
   * Puts the original TTL back: the one read before the run changed anything, else the change's
   * previous one.
   */
  @Override
  public StepDone undo(StepCall call, DnsTtlSpec spec, BuiltInUndo undo) {
    DnsTtlSpec s = call.step().spec(DnsTtlSpec.class);
    DnsTarget target = DnsTargets.of(call.plan(), s.dns());
    DnsRecordType type = s.typeOrDefault();
    String name = DnsNames.absolute(target.zone(), s.record());
    DnsRecordMemory memory = call.dns().get(s.dns(), name, type);
    Duration ttl =
        memory != null
            ? memory.original().ttl()
            : ((DnsUndo) undo).dns() == null ? null : ((DnsUndo) undo).dns().previousTtl();
    if (ttl == null) {
      return StepDone.of(name + " " + type + ": nothing to put back (not read or did not exist)");
    }
    return restore(call, target, name, type, ttl);
  }

  /**
   * The finish phase ends by putting back every TTL a dns-ttl step lowered, as a step of its own
   * named after the one that lowered it.
   */
  @Override
  public List<FinishWork> finishWork(Plan plan, DnsLedger dns) {
    List<FinishWork> work = new ArrayList<>();
    for (DnsRecordMemory lowered : dns.lowered()) {
      Step lowering =
          plan.phases().stepsWithNested(PhaseName.LOWER_TTL).stream()
              .filter(s -> isLowering(plan, s, lowered))
              .findFirst()
              .or(
                  () ->
                      plan.phases().present().stream()
                          .flatMap(p -> plan.phases().stepsWithNested(p).stream())
                          .filter(s -> isLowering(plan, s, lowered))
                          .findFirst())
              .orElse(null);
      if (lowering == null) {
        continue;
      }
      Step restore = lowering.asUndo(lowering.name() + DnsTtlSpec.RESTORE_SUFFIX);
      DnsTarget target = DnsTargets.of(plan, lowered.dns());
      Duration ttl = lowered.original().ttl();
      work.add(
          new FinishWork(
              restore,
              "put back the TTL " + lowering.name() + " lowered (" + DurationText.format(ttl) + ")",
              call -> restore(call, target, lowered.name(), lowered.type(), ttl)));
    }
    return work;
  }

  /**
   * The dns-ttl steps before the finish phase whose TTL the finish phase puts back, one per record:
   * the workflow names each restore after the step that lowered the record, a lower-ttl step first.
   */
  @Override
  public List<String> finishPreview(Plan plan) {
    java.util.Map<String, Step> byRecord = new java.util.LinkedHashMap<>();
    List<PhaseName> order = new ArrayList<>(List.of(PhaseName.LOWER_TTL));
    plan.phases().present().stream()
        .filter(p -> p != PhaseName.LOWER_TTL && p != PhaseName.FINISH)
        .forEach(order::add);
    for (PhaseName phase : order) {
      for (Step step : plan.phases().stepsWithNested(phase)) {
        if (step.spec() instanceof DnsTtlSpec d && step.name() != null) {
          byRecord.putIfAbsent(d.dns() + " " + d.record() + " " + d.typeOrDefault(), step);
        }
      }
    }
    List<String> lines = new ArrayList<>();
    byRecord
        .values()
        .forEach(
            step -> {
              DnsTtlSpec d = step.spec(DnsTtlSpec.class);
              lines.add(
                  String.format(
                      "%s%s [dns-ttl] put back the TTL %s lowered: %s: %s %s (automatic)",
                      step.name(),
                      DnsTtlSpec.RESTORE_SUFFIX,
                      step.name(),
                      d.dns(),
                      d.record(),
                      d.typeOrDefault().name()));
            });
    return lines;
  }

  private static boolean isLowering(Plan plan, Step s, DnsRecordMemory lowered) {
    if (!(s.spec() instanceof DnsTtlSpec d)) {
      return false;
    }
    return lowered.dns().equals(d.dns())
        && d.record() != null
        && plan.dns().get(d.dns()) != null
        && lowered.name().equals(DnsNames.absolute(plan.dns().get(d.dns()).zone(), d.record()))
        && lowered.type() == d.typeOrDefault();
  }

  /**
   * Sets a record's TTL back and waits until every server answers it; also how the finish phase
   * restores.
   */
  public static StepDone restore(
      StepCall call, DnsTarget target, String name, DnsRecordType type, Duration ttl) {
    DnsTtlSpec s = call.step().spec(DnsTtlSpec.class);
    DnsActivities dns = call.activities(DnsActivities.class);
    DnsChangeResult result =
        dns.setTtl(new DnsTtlRequest(call.step().name(), target, name, type, ttl));
    DnsWaitResult waited =
        dns.waitForAnswer(
            new DnsWaitRequest(
                call.step().name(), target, name, type, result.values(), ttl, s.interval()));
    call.dns()
        .ttlSet(target.name(), name, type, ttl, Instant.ofEpochMilli(Workflow.currentTimeMillis()));
    return StepDone.of(
        name
            + " "
            + type
            + " TTL back to "
            + DnsText.ttl(ttl)
            + (result.changed() ? "" : " (already so)")
            + ", answered by "
            + DnsText.servers(waited.servers()));
  }
}
