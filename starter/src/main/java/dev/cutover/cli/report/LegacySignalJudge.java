package dev.cutover.cli.report;

import dev.cutover.workflow.SignalLimits;

/**
 * Why the workflow ignored a signal, for histories recorded before it wrote its judgement down (v1
 * to v5): the rules those versions applied, re-applied to what the history says of the run at that
 * moment. Histories with facts never come here: the workflow's own judgement is in them. Names are
 * shown as status shows them: one over its limit by its start and its size.
 */
final class LegacySignalJudge {
  private LegacySignalJudge() {}

  static String approvalProblem(Timeline t, String gateName) {
    if (gateName == null || gateName.isBlank()) {
      return "it names no gate";
    }
    if (t.ended) {
      return "the migration had ended";
    }
    GateTimeline gate = t.gates.get(gateName);
    if (gate == null) {
      return "no gate named "
          + SignalLimits.quote(gateName)
          + "; gates in this plan: "
          + String.join(", ", t.gates.keySet());
    }
    if (gate.approvedAt != null) {
      return "gate '"
          + gateName
          + "' was already approved at "
          + ReportText.time(gate.approvedAt)
          + (gate.by == null ? "" : " by " + gate.by);
    }
    if (!t.waitingFor.equals("gate:" + gateName)) {
      return "gate '"
          + gateName
          + "' was not open"
          + (gate.before == null ? "" : ": it opens before phase " + gate.before)
          + (t.phase == null ? "" : " and the migration was in phase " + t.phase);
    }
    return null;
  }

  static String decisionProblem(Timeline t, String stepName, String action) {
    if (stepName == null || action == null) {
      return "it names no step or action";
    }
    if (t.aborting) {
      return "the migration was aborting";
    }
    if (!t.waitingFor.equals("decision:" + stepName)) {
      return t.waitingFor.startsWith("decision:")
          ? "step "
              + SignalLimits.quote(stepName)
              + " was not waiting for a decision; the blocked step was '"
              + t.waitingFor.substring("decision:".length())
              + "'"
          : "no step was waiting for a decision";
    }
    return null;
  }

  static String abortProblem(Timeline t) {
    if (t.ended) {
      return "the migration had ended";
    }
    if (t.aborting) {
      return "the migration was already aborting";
    }
    return null;
  }

  /** A signal of a name cutover does not know: older versions let it pass without a word. */
  static String unknownSignalAnswer() {
    return "a signal cutover does not know; the workflow did nothing with it";
  }
}
