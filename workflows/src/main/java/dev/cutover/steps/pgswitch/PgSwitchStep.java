package dev.cutover.steps.pgswitch;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.load.DurationText;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import dev.cutover.steps.postgres.PgEndpoints;
import dev.cutover.steps.postgres.PgReplicateSpec;
import dev.cutover.steps.postgres.PgReplicationNames;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code pg-switch} step in the workflow: one activity runs the whole critical section, so no
 * orchestration round trip falls inside the freeze. Its undo switches back through the replication
 * back.
 */
public final class PgSwitchStep implements StepHandler<PgSwitchSpec> {
  /**
   * A worker that dies inside the section is noticed this soon, and the retry finishes or undoes
   * the switch while clients are still held: the section heartbeats on every poll.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);

  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, PgSwitchSpec s, PhaseName phase, Plan plan) {
    needs.database(s.from());
    needs.database(s.to());
    if (s.reverseOrDefault()) {
      // At the switch the new database starts publishing and the old one subscribing.
      needs.publishes(s.to(), List.of());
      needs.subscribes(s.from());
    }
    for (PgSwitchInsideSpec c : s.inside()) {
      needs.tools(c.host());
    }
    if (s.bouncer() != null) {
      needs.bouncer(step.name(), s.bouncer(), null);
    }
  }

  @Override
  public String preview(PgSwitchSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.from()
        + " -> "
        + s.to()
        + ": freeze writes"
        + (s.bouncer() == null
            ? ""
            : " (clients held at pgbouncer on "
                + s.bouncer().host()
                + ":"
                + s.bouncer().portOrDefault()
                + ")")
        + ", catch up within "
        + DurationText.format(s.deadlineOrDefault())
        + " (else "
        + (s.goOnDeadline() ? "go on" : "abort")
        + ")"
        + (s.copySequencesOrDefault() ? ", copy sequences" : "")
        + ", end the replication, repoint"
        + (s.inside().isEmpty() ? "" : ", run " + s.inside().size() + " inside command(s)")
        + ", release"
        + (s.reverseOrDefault() ? "; replicate back " + s.to() + " -> " + s.from() : "")
        + ("none".equals(s.verifyOrDefault())
            ? ""
            : "; verify " + s.verifyOrDefault() + " against the switch snapshot");
  }

  @Override
  public StepDone run(StepCall call, PgSwitchSpec spec) {
    PgSwitchResult r = activities(call).switchOver(request(call, spec, call.step().name()));
    return new StepDone(summary(spec, r), PgSwitchUndo.of(r), null);
  }

  /** The step's line in status and the report: "writes frozen 0.41 s (...); ...". */
  static String summary(PgSwitchSpec s, PgSwitchResult r) {
    StringBuilder out =
        new StringBuilder("writes frozen ")
            .append(String.format(Locale.ROOT, "%.2f s", r.frozenMillis() / 1000.0))
            .append(
                r.holdDescription() == null
                    ? " (no holding point: clients' sessions cut)"
                    : " (held at " + r.holdDescription() + ")");
    if (r.deadlinePassed()) {
      out.append(", past the deadline of ")
          .append(DurationText.format(s.deadlineOrDefault()))
          .append(" (onDeadline go)");
    }
    if (r.rolledForward()) {
      out.append(", finished by a retry after the worker died");
    }
    if (r.caughtUpLsn() != null) {
      out.append("; ").append(s.to()).append(" caught up at ").append(r.caughtUpLsn());
    }
    out.append("; ").append(r.sequencesCopied()).append(" sequences copied");
    if (r.sessionsCutTotal() > 0) {
      out.append("; ")
          .append(r.sessionsCutTotal())
          .append(r.sessionsCutTotal() == 1 ? " session cut (" : " sessions cut (")
          .append(String.join(", ", r.sessionsCut()))
          .append(r.sessionsCutTotal() > r.sessionsCut().size() ? ", ..." : "")
          .append(")");
    }
    if (r.reverseSubscription() != null) {
      out.append("; replicating back ").append(s.to()).append(" -> ").append(s.from());
    }
    if (r.afterRelease() != null) {
      out.append("; ").append(r.afterRelease());
    }
    return out.toString();
  }

  /** A switch cut short may have passed its commit point: the servers' state tells the undo. */
  @Override
  public BuiltInUndo undoIfCutShort(Step step, PgSwitchSpec spec) {
    return PgSwitchUndo.cutShort();
  }

  @Override
  public StepDone undo(StepCall call, PgSwitchSpec spec, BuiltInUndo undo) {
    // The switch's objects carry the step's own name, not its undo's.
    String stepName = Step.undoneStep(call.step().name());
    PgSwitchResult back =
        activities(call)
            .switchBack(
                new PgSwitchBackRequest(
                    request(call, spec, stepName), ((PgSwitchUndo) undo).pgSwitch()));
    return StepDone.of(
        "switched back "
            + spec.to()
            + " -> "
            + spec.from()
            + ": writes frozen "
            + String.format(Locale.ROOT, "%.2f s", back.frozenMillis() / 1000.0));
  }

  static PgSwitchActivities activities(StepCall call) {
    ActivityOptions options =
        ActivityOptions.newBuilder(call.options()).setHeartbeatTimeout(HEARTBEAT_TIMEOUT).build();
    return io.temporal.workflow.Workflow.newActivityStub(PgSwitchActivities.class, options);
  }

  /** The request from the plan: endpoints and the bouncer with secret references only. */
  static PgSwitchRequest request(StepCall call, PgSwitchSpec s, String stepName) {
    Plan plan = call.plan();
    PgReplicationNames names = names(plan, s);
    PgReplicationNames back = names.reversed();
    PgBouncerSpec b = s.bouncer();
    PgSwitchBouncer bouncer =
        b == null
            ? null
            : new PgSwitchBouncer(
                b.host(),
                plan.host(b.host()),
                b.portOrDefault(),
                b.adminUser(),
                b.adminPasswordSecret() == null
                    ? null
                    : plan.secrets().get(b.adminPasswordSecret()),
                b.database(),
                b.config());
    List<PgSwitchCommand> inside =
        s.inside().stream()
            .map(c -> new PgSwitchCommand(c.host(), plan.host(c.host()), c.command()))
            .toList();
    return new PgSwitchRequest(
        stepName,
        s.from(),
        PgEndpoints.of(plan, s.from()),
        s.to(),
        PgEndpoints.of(plan, s.to()),
        names.publication(),
        names.subscription(),
        s.deadlineOrDefault(),
        s.goOnDeadline(),
        s.appRoles(),
        bouncer,
        inside,
        s.copySequencesOrDefault(),
        s.reverseOrDefault(),
        s.verifyOrDefault(),
        s.reverseOrDefault() ? back.publication() : null,
        s.reverseOrDefault() ? back.subscription() : null);
  }

  /**
   * The names of the replication the switch ends: those of the pg-replicate step that started it
   * (same from and to), as that step's finish would find them.
   */
  static PgReplicationNames names(Plan plan, PgSwitchSpec s) {
    for (PhaseName phase : plan.phases().present()) {
      for (Step step : plan.phases().stepsWithNested(phase)) {
        if (step.spec() instanceof PgReplicateSpec r
            && s.from().equals(r.from())
            && s.to().equals(r.to())
            && PgReplicateSpec.START.equals(r.actionIn(phase))) {
          return PgReplicationNames.of(plan, r);
        }
      }
    }
    return PgReplicationNames.of(
        plan,
        new PgReplicateSpec(
            s.from(), s.to(), null, null, null, null, null, null, null, null, null, null));
  }
}
