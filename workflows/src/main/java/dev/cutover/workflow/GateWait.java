package dev.cutover.workflow;

import dev.cutover.plan.Gate;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.DurationText;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
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
    for (Gate g : plan.gates()) {
      gates.put(g.name(), GateStatus.pending(g.name(), g.before(), g.description()));
    }
    if (checkpoint != null) {
      checkpoint.gates().forEach(g -> gates.put(g.name(), g));
    }
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
    record.awaiting(
        MigrationState.WAITING_FOR_GATE,
        "gate:" + name,
        OperatorHints.approveAction(workflowId, name));
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
            gate.before()));
    log.info("gate {} is open", name);
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
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.WAITING_FOR.valueSet(""));
    abort.throwIfRequested();
    if (!approved) {
      // Fail closed: nobody approved in time, so the risky phase does not start.
      gates.put(name, gates.get(name).expired());
      abort.request(
          "gate " + name + " expired after " + DurationText.format(deadline) + " without approval");
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
