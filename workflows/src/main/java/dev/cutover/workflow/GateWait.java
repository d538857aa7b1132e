package dev.cutover.workflow;

import dev.cutover.plan.Gate;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.DurationText;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The gates and their waits: a gate opens before its phase, reminds while it waits, expires closed
 * at its deadline, and an approval (signal or update) lets the run on. The plan's gates and the
 * downtime budget's are kept here in the order they appeared, for status and the checkpoint.
 */
final class GateWait {
  private static final Logger log = Workflow.getLogger(GateWait.class);

  private final Map<String, GateStatus> gates = new LinkedHashMap<>();
  private final Plan plan;
  private final MigrationRecord record;
  private final AbortState abort;
  private final Notifier notifier;
  private final String workflowId;
  private final GatePolicies policies;

  GateWait(
      Plan plan,
      Checkpoint checkpoint,
      MigrationRecord record,
      AbortState abort,
      Notifier notifier,
      String workflowId) {
    this.plan = plan;
    this.record = record;
    this.abort = abort;
    this.notifier = notifier;
    this.workflowId = workflowId;
    this.policies = new GatePolicies(plan, checkpoint, workflowId);
    for (Gate g : plan.gates()) {
      gates.put(g.name(), GateStatus.pending(g.name(), g.before(), g.description()));
    }
    if (checkpoint != null) {
      checkpoint.gates().forEach(g -> gates.put(g.name(), g));
    }
  }

  /**
   * Decides, once at the start of the run, whether the gates' approval policies apply: only for a
   * plan with policies or a signed start, and for runs begun since they exist. A new run verifies
   * who started it (a side effect, so a replay reads the recorded answer); a continued run has it
   * from the checkpoint. Throws when a signed start does not verify: nothing has run yet.
   */
  void beginPolicies(SignedStart start, boolean continued) {
    if (!policies.wanted(start)
        || Workflow.getVersion(GatePolicies.CHANGE, Workflow.DEFAULT_VERSION, 1) != 1) {
      return;
    }
    Starter starter = policies.starter();
    if (!continued || starter == null) {
      java.time.Instant now = DurableWait.now();
      starter =
          Workflow.sideEffect(
              Starter.class,
              () -> StartVerification.verify(start, plan, workflowId, policies.approvers(), now));
    }
    if (starter.reason() != null) {
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          "the start's signature was refused, so nothing ran: " + starter.reason(), START_REFUSED);
    }
    policies.begin(starter);
    for (String name : policies.gatesWithPolicy()) {
      GateStatus g = gates.get(name);
      if (g.required() == null) {
        var policy = policies.policy(name);
        gates.put(
            name,
            g.counting(
                policy.requireOrDefault(), List.of(), policies.stillNeeded(policy, List.of())));
      }
    }
  }

  /** The failure type of a run whose signed start did not verify. */
  static final String START_REFUSED = "StartSignatureRefused";

  Starter starter() {
    return policies.starter();
  }

  /**
   * Waits at every gate the plan puts before {@code phase}, in the plan's order; throws {@link
   * Aborted}.
   */
  void passBefore(PhaseName phase) {
    for (Gate gate : plan.gates()) {
      if (phase.yamlName().equals(gate.before())) {
        await(gate.name(), gate.description(), gate.deadline());
      }
    }
  }

  /**
   * The gate the spent downtime budget opens, in the phase the run is in, when the plan says ask.
   */
  void passBudgetGate(String description) {
    gates.putIfAbsent(
        CutoverNames.BUDGET_GATE,
        GateStatus.pending(CutoverNames.BUDGET_GATE, record.phase(), description));
    await(CutoverNames.BUDGET_GATE, description, null);
  }

  private void await(String name, String description, Duration deadline) {
    GateStatus gate = gates.get(name);
    if (gate.state() == GateState.APPROVED) {
      return;
    }
    gates.put(name, gate.opened(DurableWait.now()));
    var policy = policies.policy(name);
    record.awaiting(
        MigrationState.WAITING_FOR_GATE,
        "gate:" + name,
        policy == null || policy.allowsUnsigned()
            ? OperatorHints.approveAction(workflowId, name)
            : OperatorHints.signedApproveAction(workflowId, name, policy.requireOrDefault()));
    Workflow.upsertTypedSearchAttributes(
        CutoverSearchAttributes.WAITING_FOR.valueSet(record.waitingFor()));
    String estimate =
        PhaseName.DOWNTIME.yamlName().equals(gate.before())
            ? OperatorHints.finalSyncEstimate(record.lastSyncedRound())
            : null;
    if (estimate != null) {
      record.note(estimate, null);
    }
    Workflow.setCurrentDetails(
        OperatorHints.gateDetails(
            workflowId,
            name,
            estimate == null
                ? description
                : (description == null ? "" : description + "\n\n") + estimate,
            gate.before(),
            policy));
    log.info("gate {} is open", name);
    FleetLink.atGate(name, gate.before());
    notifier.gateOpened(name, gate.before(), description);
    CancellationScope reminders = notifier.remindWhileOpen(name, gate.before());
    boolean approved;
    if (deadline != null) {
      record.waitingUntil(
          TemporalLimits.plus(DurableWait.now(), deadline, "the deadline of gate " + name));
      approved = Workflow.await(deadline, () -> isApproved(name) || abort.requested());
    } else {
      Workflow.await(() -> isApproved(name) || abort.requested());
      approved = true;
    }
    if (reminders != null) {
      reminders.cancel();
    }
    record.waitingUntil(null);
    record.resumed();
    FleetLink.passedGate(name, gate.before());
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.WAITING_FOR.valueSet(""));
    abort.throwIfRequested();
    if (!approved) {
      // Fail closed: nobody approved in time, so the risky phase does not start.
      GateStatus expired = gates.get(name).expired();
      gates.put(name, expired);
      abort.request(
          "gate "
              + name
              + " expired after "
              + DurationText.format(deadline)
              + " without approval"
              + (expired.required() == null
                  ? ""
                  : " ("
                      + expired.approvals().size()
                      + " of "
                      + expired.required()
                      + " approvals"
                      + (expired.approvals().isEmpty() ? "" : ": " + shown(expired.approvals()))
                      + ")"));
      throw new Aborted();
    }
  }

  private boolean isApproved(String gate) {
    return gates.get(gate).state() == GateState.APPROVED;
  }

  /**
   * Lets the run on past an open gate; {@link OperatorMessages} judged that the approval applies.
   */
  GateApproval approve(ApproveRequest request) {
    GateJudgement judged = judgeRecorded(request);
    if (judged.problem() != null) {
      // The validator refused it already; a handler run on other state refuses it here.
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          judged.problem(), APPROVAL_REFUSED);
    }
    return approve(request, judged.approver());
  }

  /** The failure type of an approval its gate's policy does not count. */
  static final String APPROVAL_REFUSED = "ApprovalRefused";

  /**
   * How the gate's policy judges an approval of an open gate; nothing to judge (both {@code null})
   * when the gate has none.
   */
  GateJudgement judge(ApproveRequest request) {
    var policy = policies.policy(request.gate());
    GateStatus gate = gates.get(request.gate());
    if (policy == null || gate == null) {
      return new GateJudgement(null, null);
    }
    return policies.judge(request, policy, gate, DurableWait.now());
  }

  /**
   * {@link #judge}, in a handler: recorded (a side effect) when the gate has a policy, so a replay
   * reads the judgement made then instead of judging again with another worker's code or clock.
   */
  GateJudgement judgeRecorded(ApproveRequest request) {
    if (policies.policy(request.gate()) == null || gates.get(request.gate()) == null) {
      return new GateJudgement(null, null);
    }
    return Workflow.sideEffect(GateJudgement.class, () -> judge(request));
  }

  /**
   * Counts an approval the policy judged ({@code approver}), and lets the run on when the gate has
   * as many as it needs; without a policy ({@code approver} null) any approval lets it on.
   */
  GateApproval approve(ApproveRequest request, GateApprover approver) {
    if (approver == null) {
      return approveUnconditionally(request);
    }
    var policy = policies.policy(request.gate());
    java.time.Instant now = DurableWait.now();
    GateStatus gate = gates.get(request.gate());
    List<GateApprover> counted =
        new ArrayList<>(gate.approvals() == null ? List.of() : gate.approvals());
    counted.add(approver);
    int required = policy.requireOrDefault();
    boolean passed = counted.size() >= required;
    List<String> still = passed ? List.of() : policies.stillNeeded(policy, counted);
    GateStatus next = gate.counting(required, counted, still);
    if (passed) {
      next = next.approved(now, approver.comment(), shown(counted));
    }
    gates.put(request.gate(), next);
    log.info(
        "gate {}: approval by {} counted, {} of {}",
        request.gate(),
        approver.shown(),
        counted.size(),
        required);
    return new GateApproval(
        request.gate(),
        now,
        approver.comment(),
        request.by(),
        approver.principal(),
        approver.fingerprint(),
        approver.verified(),
        counted.size(),
        required,
        still,
        passed);
  }

  private static String shown(List<GateApprover> approvers) {
    return String.join(", ", approvers.stream().map(GateApprover::shown).toList());
  }

  private GateApproval approveUnconditionally(ApproveRequest request) {
    java.time.Instant now = DurableWait.now();
    gates.put(
        request.gate(), gates.get(request.gate()).approved(now, request.comment(), request.by()));
    log.info("gate {} approved by {}", request.gate(), request.by());
    return new GateApproval(request.gate(), now, request.comment(), request.by());
  }

  /** The gate of that name; {@code null} when there is none. */
  GateStatus get(String name) {
    return gates.get(name);
  }

  Set<String> names() {
    return gates.keySet();
  }

  Collection<GateStatus> all() {
    return gates.values();
  }
}
