package dev.cutover.workflow;

import dev.cutover.plan.Step;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * A step whose retries are spent blocks here until an operator decides retry, skip or abort (or
 * aborts the run). It keeps the blocked step, the decision once it comes, and the last decisions
 * given, for status and the checkpoint.
 */
final class DecisionWait {
  /** Decisions an operator gives on a step that keeps failing: the last ones say what was tried. */
  static final int MAX_DECISIONS = 50;

  private final List<DecisionRecord> decisions = new ArrayList<>();
  private final MigrationRecord record;
  private final AbortState abort;
  private final Notifier notifier;
  private final String workflowId;

  /** The step waiting for a decision, and the decision once it comes. */
  private String blockedStep;

  private DecideRequest pendingDecision;

  DecisionWait(
      Checkpoint checkpoint,
      MigrationRecord record,
      AbortState abort,
      Notifier notifier,
      String workflowId) {
    this.record = record;
    this.abort = abort;
    this.notifier = notifier;
    this.workflowId = workflowId;
    if (checkpoint != null) {
      decisions.addAll(checkpoint.decisions());
      record.keepLast(decisions, MAX_DECISIONS, "older decisions left out of status");
    }
  }

  /**
   * Blocks the step until a decision or an abort comes; an abort counts as the decision abort. A
   * decision to abort aborts the run, with the step and the operator's comment as the reason.
   */
  DecisionAction await(Step step, String error) {
    record.awaiting(
        MigrationState.BLOCKED,
        "decision:" + step.name(),
        OperatorHints.decideAction(workflowId, step.name()));
    blockedStep = step.name();
    pendingDecision = null;
    Workflow.upsertTypedSearchAttributes(
        CutoverSearchAttributes.WAITING_FOR.valueSet(record.waitingFor()));
    Workflow.setCurrentDetails(
        OperatorHints.blockedDetails(workflowId, step.name(), step.placeText(), error));
    notifier.stepBlocked(step.name(), step.placeText(), error);
    FleetLink.blocked(step.name(), record.phase(), error);
    Workflow.await(() -> pendingDecision != null || abort.requested());
    // An abort wins over a decision that arrived with it.
    DecideRequest decision = abort.requested() ? null : pendingDecision;
    blockedStep = null;
    pendingDecision = null;
    record.resumed();
    FleetLink.decided(step.name(), record.phase());
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.WAITING_FOR.valueSet(""));
    if (decision == null) {
      return DecisionAction.ABORT;
    }
    decisions.add(
        new DecisionRecord(
            step.name(), decision.action(), decision.comment(), decision.by(), DurableWait.now()));
    record.keepLast(decisions, MAX_DECISIONS, "older decisions left out of status");
    if (decision.action() == DecisionAction.ABORT) {
      abort.requestUnlessAborting(
          "decided abort at step "
              + step.name()
              + (decision.comment() == null ? "" : ": " + decision.comment()));
    }
    return decision.action();
  }

  /**
   * The operator's decision for the blocked step; {@link OperatorMessages} judged that it applies.
   */
  DecisionRecord decide(DecideRequest request) {
    pendingDecision = request;
    return new DecisionRecord(
        request.step(), request.action(), request.comment(), request.by(), DurableWait.now());
  }

  /** The step waiting for a decision; {@code null} when none waits. */
  String blockedStep() {
    return blockedStep;
  }

  /** Whether the blocked step already has its decision (taken when the run's turn comes). */
  boolean decided() {
    return pendingDecision != null;
  }

  /** An abort stopped the run while a step was blocked: it waits no more. */
  void unblock() {
    blockedStep = null;
  }

  List<DecisionRecord> all() {
    return decisions;
  }
}
