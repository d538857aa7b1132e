package dev.cutover.workflow;

import dev.cutover.plan.Step;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * A step whose retries are spent blocks here until an operator decides retry, skip or abort (or
 * aborts the run). It keeps the blocked steps (several when branches of a parallel group block at
 * once, each waiting for its own decision), the decisions once they come, and the last decisions
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

  /**
   * The steps waiting for a decision, in the order they blocked, each with its decision once it
   * comes (null until then).
   */
  private final java.util.LinkedHashMap<String, DecideRequest> blocked =
      new java.util.LinkedHashMap<>();

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
    String name = step.name();
    blocked.put(name, null);
    details.put(name, OperatorHints.blockedDetails(workflowId, name, step.placeText(), error));
    showBlocked();
    notifier.stepBlocked(name, step.placeText(), error);
    FleetLink.blocked(name, record.phase(), error);
    Workflow.await(() -> blocked.get(name) != null || abort.requested());
    // An abort wins over a decision that arrived with it.
    DecideRequest decision = abort.requested() ? null : blocked.get(name);
    blocked.remove(name);
    details.remove(name);
    if (blocked.isEmpty()) {
      record.resumed();
      FleetLink.decided(name, record.phase());
      Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.WAITING_FOR.valueSet(""));
    } else {
      // Another branch's step still waits: the fleet hears of this one, status shows the rest.
      FleetLink.decided(name, record.phase());
      showBlocked();
    }
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

  /** What the Temporal UI shows of each blocked step: its error and the signal to send. */
  private final java.util.Map<String, String> details = new java.util.HashMap<>();

  /**
   * Status, the search attribute and the UI's details name every blocked step: one alone as it
   * always was, several joined.
   */
  private void showBlocked() {
    List<String> steps = List.copyOf(blocked.keySet());
    record.awaiting(
        MigrationState.BLOCKED,
        String.join(", ", steps.stream().map(s -> "decision:" + s).toList()),
        String.join(
            "\n", steps.stream().map(s -> OperatorHints.decideAction(workflowId, s)).toList()));
    Workflow.upsertTypedSearchAttributes(
        CutoverSearchAttributes.WAITING_FOR.valueSet(record.waitingFor()));
    Workflow.setCurrentDetails(String.join("\n\n", steps.stream().map(details::get).toList()));
  }

  /**
   * The operator's decision for a blocked step; {@link OperatorMessages} judged that it applies.
   */
  DecisionRecord decide(DecideRequest request) {
    blocked.replace(request.step(), request);
    return new DecisionRecord(
        request.step(), request.action(), request.comment(), request.by(), DurableWait.now());
  }

  /** The step waiting for a decision (the first, when several wait); {@code null} when none. */
  String blockedStep() {
    return blocked.isEmpty() ? null : blocked.keySet().iterator().next();
  }

  /** Every step waiting for a decision, in the order they blocked. */
  List<String> blockedSteps() {
    return List.copyOf(blocked.keySet());
  }

  /** Whether the step waits for a decision. */
  boolean isBlocked(String step) {
    return blocked.containsKey(step);
  }

  /** Whether the blocked step already has its decision (taken when the run's turn comes). */
  boolean decided(String step) {
    return blocked.get(step) != null;
  }

  /** An abort stopped the run while steps were blocked: they wait no more. */
  void unblock() {
    blocked.clear();
    details.clear();
  }

  List<DecisionRecord> all() {
    return decisions;
  }
}
