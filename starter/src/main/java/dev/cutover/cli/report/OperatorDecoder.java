package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.SignalLimits;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Instant;
import dev.cutover.workflow.GateApprover;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what operators sent in one run: signals and updates, with the workflow's answer. An update
 * the workflow refused never reaches the history, so every one here was accepted, and its result
 * says what was done. A signal cannot be refused: in a run with facts the workflow records how it
 * judged each one (a marker, in the order it handled them), which the report shows as it is;
 * histories recorded before are judged by {@link LegacySignalJudge}.
 */
final class OperatorDecoder {
  private final Timeline t;
  private final boolean facts;

  /** Signals waiting for the workflow's judgement, oldest first: indexes into the actions. */
  private final Deque<Integer> unjudged = new ArrayDeque<>();

  private final Map<String, Integer> pendingUpdates = new HashMap<>();

  OperatorDecoder(Timeline t, boolean facts) {
    this.t = t;
    this.facts = facts;
  }

  void signaled(HistoryEvent e) {
    var a = e.getWorkflowExecutionSignaledEventAttributes();
    JsonNode body = PayloadJson.first(a.getInput());
    String identity = a.getIdentity().isEmpty() ? null : a.getIdentity();
    String name = a.getSignalName();
    Instant at = EventTimes.time(e);
    if (facts) {
      // Until its judgement is read: a run whose history ends before the workflow read the signal
      // keeps this.
      t.actions.add(
          new OperatorAction(
              at,
              SignalLimits.shownName(name),
              null,
              null,
              null,
              null,
              identity,
              "signal",
              false,
              "not read yet: the history ends before the workflow handled it"));
      unjudged.add(t.actions.size() - 1);
      return;
    }
    switch (name) {
      case CutoverNames.SIGNAL_APPROVE -> {
        String gate = PayloadJson.text(body, "gate");
        String problem = LegacySignalJudge.approvalProblem(t, gate);
        judged(
            new OperatorAction(
                at,
                "approve",
                SignalLimits.shownName(gate),
                null,
                PayloadJson.text(body, "comment"),
                PayloadJson.text(body, "by"),
                identity,
                "signal",
                problem == null,
                problem == null ? null : "ignored: " + problem),
            gate);
      }
      case CutoverNames.SIGNAL_DECIDE -> {
        String step = PayloadJson.text(body, "step");
        String action = PayloadJson.text(body, "action");
        String problem = LegacySignalJudge.decisionProblem(t, step, action);
        judged(
            new OperatorAction(
                at,
                "decide",
                SignalLimits.shownName(step),
                action == null ? null : action.toLowerCase(Locale.ROOT),
                PayloadJson.text(body, "comment"),
                PayloadJson.text(body, "by"),
                identity,
                "signal",
                problem == null,
                problem == null ? null : "ignored: " + problem),
            step);
      }
      case CutoverNames.SIGNAL_ABORT -> {
        String problem = LegacySignalJudge.abortProblem(t);
        String reason = PayloadJson.text(body, "reason");
        judged(
            new OperatorAction(
                at,
                "abort",
                null,
                null,
                reason == null ? "no reason given" : reason,
                PayloadJson.text(body, "by"),
                identity,
                "signal",
                problem == null,
                problem == null ? null : "ignored: " + problem),
            null);
        t.aborting = true;
      }
      default ->
          t.actions.add(
              new OperatorAction(
                  at,
                  name,
                  null,
                  null,
                  null,
                  null,
                  identity,
                  "signal",
                  true,
                  LegacySignalJudge.unknownSignalAnswer()));
    }
  }

  /** The workflow's judgement of the oldest signal not yet judged (an {@code OperatorFact}). */
  void fact(JsonNode fact) {
    Integer index = unjudged.poll();
    if (index == null) {
      return;
    }
    OperatorAction signal = t.actions.get(index);
    String kind = PayloadJson.text(fact, "signal");
    boolean accepted = fact.path("accepted").asBoolean(false);
    String comment = PayloadJson.text(fact, "comment");
    String reason = PayloadJson.text(fact, "reason");
    boolean counted = accepted && fact.hasNonNull("required");
    OperatorAction action =
        new OperatorAction(
            signal.at(),
            kind == null ? signal.kind() : kind,
            PayloadJson.text(fact, "target"),
            PayloadJson.text(fact, "action"),
            comment == null && CutoverNames.SIGNAL_ABORT.equals(kind) ? "no reason given" : comment,
            counted ? shown(fact) : PayloadJson.text(fact, "by"),
            signal.identity(),
            "signal",
            accepted,
            accepted
                ? PayloadJson.text(fact, "answer")
                : "ignored: " + (reason == null ? "no reason recorded" : reason));
    t.actions.set(index, action);
    if (counted) {
      counted(action, fact);
    } else if (accepted) {
      applied(action, action.target());
    }
  }

  /** Who an approval under a gate's policy counted as: its key's principal, or the claim. */
  private static String shown(JsonNode verdict) {
    return GateApprover.shown(
        PayloadJson.text(verdict, "principal"),
        PayloadJson.text(verdict, "fingerprint"),
        verdict.path("verified").asBoolean(false));
  }

  /**
   * An approval a gate under a policy counted ({@code verdict}: the workflow's fact or the
   * update's answer): one more approver, and the gate approved once it has what it needs.
   */
  private void counted(OperatorAction action, JsonNode verdict) {
    if (action.target() == null) {
      return;
    }
    GateTimeline gate = t.gate(action.target());
    gate.required = verdict.path("required").asInt();
    gate.approvals.add(shown(verdict));
    List<String> still = new ArrayList<>();
    verdict.path("stillNeeded").forEach(n -> still.add(n.asText()));
    gate.stillNeeded = still;
    if (verdict.path("approvals").asInt() >= gate.required) {
      gate.approvedAt = action.at();
      gate.by = String.join(", ", gate.approvals);
      gate.identity = null;
      gate.comment = action.comment();
      gate.via = action.via();
    } else {
      gate.approvedAt = null;
      gate.by = null;
      gate.identity = null;
      gate.comment = null;
      gate.via = null;
    }
  }

  void updateAccepted(HistoryEvent e) {
    var request = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest();
    JsonNode body = PayloadJson.first(request.getInput().getArgs());
    String identity =
        request.getMeta().getIdentity().isEmpty() ? null : request.getMeta().getIdentity();
    Instant at = EventTimes.time(e);
    String by = PayloadJson.text(body, "by");
    String comment = PayloadJson.text(body, "comment");
    OperatorAction action;
    String target;
    switch (request.getInput().getName()) {
      case "approveGate" -> {
        target = PayloadJson.text(body, "gate");
        action =
            new OperatorAction(
                at, "approve", target, null, comment, by, identity, "update", true, null);
      }
      case "decideStep" -> {
        target = PayloadJson.text(body, "step");
        String decided = PayloadJson.text(body, "action");
        action =
            new OperatorAction(
                at,
                "decide",
                target,
                decided == null ? null : decided.toLowerCase(Locale.ROOT),
                comment,
                by,
                identity,
                "update",
                true,
                null);
      }
      case "abortMigration" -> {
        target = null;
        String reason = PayloadJson.text(body, "reason");
        action =
            new OperatorAction(
                at,
                "abort",
                null,
                null,
                reason == null ? "no reason given" : reason,
                by,
                identity,
                "update",
                true,
                null);
      }
      default -> {
        return;
      }
    }
    judged(action, target);
    pendingUpdates.put(request.getMeta().getUpdateId(), t.actions.size() - 1);
  }

  void updateCompleted(HistoryEvent e) {
    var a = e.getWorkflowExecutionUpdateCompletedEventAttributes();
    Integer index = pendingUpdates.remove(a.getMeta().getUpdateId());
    if (index == null) {
      return;
    }
    OperatorAction action = t.actions.get(index);
    if (a.getOutcome().hasFailure()) {
      t.actions.set(
          index,
          new OperatorAction(
              action.at(),
              action.kind(),
              action.target(),
              action.action(),
              action.comment(),
              action.by(),
              action.identity(),
              action.via(),
              false,
              "refused: " + a.getOutcome().getFailure().getMessage()));
    } else if (action.kind().equals("approve")
        && PayloadJson.first(a.getOutcome().getSuccess()).hasNonNull("required")) {
      JsonNode answer = PayloadJson.first(a.getOutcome().getSuccess());
      String where =
          answer.path("passed").asBoolean(true)
              ? "gate approved: " + answer.path("approvals").asInt() + " of "
                  + answer.path("required").asInt() + " approvals"
              : "counted " + answer.path("approvals").asInt() + " of "
                  + answer.path("required").asInt() + " approvals";
      OperatorAction counted =
          new OperatorAction(
              action.at(),
              action.kind(),
              action.target(),
              action.action(),
              action.comment(),
              shown(answer),
              action.identity(),
              action.via(),
              true,
              where);
      t.actions.set(index, counted);
      counted(counted, answer);
    } else if (action.kind().equals("abort")) {
      String message = PayloadJson.text(PayloadJson.first(a.getOutcome().getSuccess()), "message");
      if (message != null) {
        t.actions.set(
            index,
            new OperatorAction(
                action.at(),
                action.kind(),
                action.target(),
                action.action(),
                action.comment(),
                action.by(),
                action.identity(),
                action.via(),
                true,
                message));
      }
    }
  }

  /** Adds the action, and what it did to the run when it was accepted. */
  private void judged(OperatorAction action, String target) {
    t.actions.add(action);
    if (action.accepted()) {
      applied(action, target);
    }
  }

  /**
   * An accepted message's effect on the timeline: a gate approved, a decision taken, an abort
   * begun.
   */
  private void applied(OperatorAction action, String target) {
    switch (action.kind()) {
      case "approve" -> {
        if (target != null) {
          GateTimeline gate = t.gate(target);
          gate.approvedAt = action.at();
          gate.by = action.by();
          gate.identity = action.identity();
          gate.comment = action.comment();
          gate.via = action.via();
        }
      }
      case "decide" -> {
        if (target == null) {
          return;
        }
        // The decision is taken; a second one before the step moves on is refused.
        t.waitingFor = "";
        StepTimeline step = t.steps.get(target);
        if (step != null && action.action() != null) {
          switch (action.action()) {
            case "retry" -> step.retryDecided = true;
            case "skip" -> step.skipped = true;
            case "abort" -> t.aborting = true;
            default -> {}
          }
        }
      }
      case "abort" -> t.aborting = true;
      default -> {}
    }
  }
}
