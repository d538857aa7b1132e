package dev.cutover.workflow;

import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.RawValue;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * What operators send (approve, decide, abort), judged against the run's record: whether it applies
 * and why not, read from a signal's raw payload as the SDK would read it, and cut to the limits of
 * {@link SignalLimits}. Updates refuse what does not apply; signals cannot be refused, so what does
 * not apply is noted in status, in short.
 */
final class OperatorMessages {
  private final MigrationRecord record;
  private final AbortState abort;
  private final GateWait gates;
  private final DecisionWait decisions;
  private final Logger log;

  OperatorMessages(
      MigrationRecord record,
      AbortState abort,
      GateWait gates,
      DecisionWait decisions,
      Logger log) {
    this.record = record;
    this.abort = abort;
    this.gates = gates;
    this.decisions = decisions;
    this.log = log;
  }

  /** What {@link #read} returns for an argument that is no JSON at all. */
  static final Object UNREADABLE = new Object();

  /**
   * A signal's argument as {@code type}, read as the SDK would have (so every argument it accepted
   * is read the same); {@code null} when there is none; {@link #UNREADABLE}, noted, when it is no
   * JSON.
   */
  Object read(String signal, RawValue raw, Class<?> type) {
    if (raw == null || raw.getPayload() == null) {
      return null;
    }
    try {
      return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(raw.getPayload(), type, type);
    } catch (RuntimeException unreadable) {
      String encoding =
          raw.getPayload().getMetadataMap().containsKey("encoding")
              ? raw.getPayload().getMetadataMap().get("encoding").toStringUtf8()
              : "none";
      ignored(
          signal,
          String.format(
              Locale.ROOT,
              "the argument cannot be read as JSON (%,d bytes, encoding %s)",
              raw.getPayload().getData().size(),
              SignalLimits.quote(encoding)));
      return UNREADABLE;
    }
  }

  void ignored(String signal, String problem) {
    ignored(signal, problem, null, null, null, null);
  }

  void ignored(ApproveRequest r, String problem) {
    ignored(
        CutoverNames.SIGNAL_APPROVE,
        problem,
        r == null ? null : r.gate(),
        null,
        r == null ? null : r.comment(),
        r == null ? null : r.by());
  }

  void ignored(DecideRequest r, String problem) {
    ignored(
        CutoverNames.SIGNAL_DECIDE,
        problem,
        r == null ? null : r.step(),
        r == null ? null : action(r.action()),
        r == null ? null : r.comment(),
        r == null ? null : r.by());
  }

  void ignored(AbortRequest r, String problem) {
    ignored(
        CutoverNames.SIGNAL_ABORT,
        problem,
        null,
        null,
        r == null ? null : r.reason(),
        r == null ? null : r.by());
  }

  /** Noted in status, and the judgement recorded in the history for the report. */
  private void ignored(
      String signal, String problem, String target, String action, String comment, String by) {
    record.note("ignored signal " + signal, problem);
    log.warn("ignored signal {}: {}", signal, SignalLimits.clip(problem, Notes.MAX_DETAIL_CHARS));
    HistoryFacts.operator(OperatorFact.ignored(signal, problem, target, action, comment, by));
  }

  /** A misspelled signal name would otherwise wait unseen in the SDK's buffer: say so in status. */
  void unknownSignal(String name) {
    String problem =
        SignalLimits.quote(name)
            + " is no signal of this workflow; send "
            + CutoverNames.SIGNAL_APPROVE
            + ", "
            + CutoverNames.SIGNAL_DECIDE
            + " or "
            + CutoverNames.SIGNAL_ABORT;
    record.note("ignored signals of unknown names", problem);
    log.warn("ignored signal of unknown name {}", SignalLimits.quote(name));
    HistoryFacts.operator(OperatorFact.ignored(name, problem, null, null, null, null));
  }

  /**
   * The accepted signal as the run keeps it (texts cut), recorded in the history for the report.
   */
  void accepted(ApproveRequest kept) {
    HistoryFacts.operator(
        OperatorFact.accepted(
            CutoverNames.SIGNAL_APPROVE, kept.gate(), null, kept.comment(), kept.by(), null));
  }

  /** An approval its gate's policy counted: whose, and how far the gate is now. */
  void counted(ApproveRequest request, GateApproval answer) {
    String where =
        answer.gatePassed()
            ? "gate approved: " + answer.approvals() + " of " + answer.required() + " approvals"
            : "counted "
                + answer.approvals()
                + " of "
                + answer.required()
                + " approvals; still needed from: "
                + String.join(", ", answer.stillNeeded());
    HistoryFacts.operator(OperatorFact.counted(request, answer, where));
  }

  void accepted(DecideRequest kept) {
    HistoryFacts.operator(
        OperatorFact.accepted(
            CutoverNames.SIGNAL_DECIDE,
            kept.step(),
            action(kept.action()),
            kept.comment(),
            kept.by(),
            null));
  }

  void accepted(AbortRequest kept, AbortAccepted answer) {
    HistoryFacts.operator(
        OperatorFact.accepted(
            CutoverNames.SIGNAL_ABORT,
            null,
            null,
            kept == null ? null : kept.reason(),
            kept == null ? null : kept.by(),
            answer.message()));
  }

  private static String action(DecisionAction action) {
    return action == null ? null : action.name().toLowerCase(Locale.ROOT);
  }

  /** A signal's text over its limit, cut, with a note saying how long it was. */
  String cut(String signal, String field, String value, int max) {
    String problem = SignalLimits.tooLong(field, value, max);
    if (problem == null) {
      return value;
    }
    record.note("signal " + signal + ": text cut to its limit", problem);
    return SignalLimits.clip(value, max);
  }

  /**
   * Why the approval does not apply; {@code strict} (an update) also refuses texts over their
   * limits.
   */
  String approvalProblem(ApproveRequest request, boolean strict) {
    if (request != null && request.malformed() != null) {
      return "not an approval: " + request.malformed();
    }
    if (request == null || request.gate() == null || request.gate().isBlank()) {
      return "name the gate: {\"gate\": \"NAME\", \"comment\": \"...\"}";
    }
    String tooLong =
        strict
            ? SignalLimits.firstTooLong(
                "gate",
                request.gate(),
                SignalLimits.MAX_NAME_CHARS,
                "comment",
                request.comment(),
                SignalLimits.MAX_COMMENT_CHARS,
                "by",
                request.by(),
                SignalLimits.MAX_BY_CHARS)
            : SignalLimits.tooLong("gate", request.gate(), SignalLimits.MAX_NAME_CHARS);
    if (tooLong != null) {
      return tooLong + " (" + SignalLimits.quote(request.gate()) + ")";
    }
    GateStatus gate = gates.get(request.gate());
    if (gate == null) {
      return "no gate named "
          + SignalLimits.quote(request.gate())
          + "; gates in this plan: "
          + String.join(", ", gates.names());
    }
    return switch (gate.state()) {
      case PENDING ->
          "gate '"
              + request.gate()
              + "' is not open yet: it opens before phase "
              + gate.before()
              + " and the migration is in phase "
              + record.phase();
      case APPROVED ->
          "gate '"
              + request.gate()
              + "' was already approved at "
              + gate.approvedAt()
              + (gate.by() == null ? "" : " by " + gate.by());
      case EXPIRED -> "gate '" + request.gate() + "' expired";
      case OPEN ->
          record.state().isFinal()
              ? "the migration has ended"
              // An update is judged here, in its validator; a signal in its handler, recorded.
              : strict ? gates.judge(request).problem() : null;
    };
  }

  String decisionProblem(DecideRequest request, boolean strict) {
    if (request != null && request.malformed() != null) {
      return "not a decision: " + request.malformed();
    }
    if (request == null || request.step() == null || request.step().isBlank()) {
      return "name the step: {\"step\": \"NAME\", \"action\": \"retry|skip|abort\"}";
    }
    String tooLong =
        strict
            ? SignalLimits.firstTooLong(
                "step",
                request.step(),
                SignalLimits.MAX_NAME_CHARS,
                "comment",
                request.comment(),
                SignalLimits.MAX_COMMENT_CHARS,
                "by",
                request.by(),
                SignalLimits.MAX_BY_CHARS)
            : SignalLimits.tooLong("step", request.step(), SignalLimits.MAX_NAME_CHARS);
    if (tooLong != null) {
      return tooLong + " (" + SignalLimits.quote(request.step()) + ")";
    }
    if (request.action() == null) {
      return "give an action: retry, skip or abort";
    }
    if (abort.requested()) {
      return "the migration is aborting: " + abort.reason();
    }
    if (decisions.blockedStep() == null) {
      return "no step is waiting for a decision"
          + (record.hasStep(request.step())
              ? ""
              : "; and there is no step named " + SignalLimits.quote(request.step()));
    }
    if (!decisions.isBlocked(request.step())) {
      List<String> blocked = decisions.blockedSteps();
      return "step "
          + SignalLimits.quote(request.step())
          + " is not waiting for a decision; "
          + (blocked.size() == 1
              ? "the blocked step is '" + blocked.get(0) + "'"
              : "the blocked steps are '" + String.join("', '", blocked) + "'");
    }
    if (decisions.decided(request.step())) {
      return "a decision for step '" + request.step() + "' was already given";
    }
    return null;
  }

  String abortProblem(AbortRequest request, boolean strict) {
    if (request != null && request.malformed() != null) {
      return "not an abort request: " + request.malformed();
    }
    if (strict && request != null) {
      String tooLong =
          SignalLimits.firstTooLong(
              "reason",
              request.reason(),
              SignalLimits.MAX_REASON_CHARS,
              "by",
              request.by(),
              SignalLimits.MAX_BY_CHARS);
      if (tooLong != null) {
        return tooLong;
      }
    }
    if (record.state().isFinal()) {
      return "the migration has already ended ("
          + record.state().name().toLowerCase(Locale.ROOT)
          + ")";
    }
    if (abort.requested()) {
      return "the migration is already aborting: " + abort.reason();
    }
    return null;
  }
}
