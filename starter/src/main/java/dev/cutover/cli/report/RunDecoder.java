package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.workflow.HistoryFacts;
import dev.cutover.workflow.MigrationResults;
import dev.cutover.workflow.OperatorFact;
import dev.cutover.workflow.StepFact;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Decodes one run's history events into the {@link Timeline}: the run itself (its start, its phases
 * and waits from the search attributes, its children, its end) here; activities and timers in
 * {@link ActivityDecoder}; what operators sent in {@link OperatorDecoder}. A run that records facts
 * says so with its version marker, which comes before anything the facts describe.
 */
final class RunDecoder {
  static final String PHASE_ATTRIBUTE = "CutoverPhase";
  static final String WAITING_FOR_ATTRIBUTE = "CutoverWaitingFor";
  private static final String VERSION_MARKER = "Version";
  private static final String SIDE_EFFECT_MARKER = "SideEffect";

  private final Timeline t;
  private final ReportBuilder.ChildHistories children;
  private final boolean main;
  private final EventTimes times;
  final ActivityDecoder activities;
  private final OperatorDecoder operators;

  RunDecoder(Timeline t, ReportBuilder.ChildHistories children, History history, boolean main) {
    this.t = t;
    this.children = children;
    this.main = main;
    this.times = new EventTimes(history);
    boolean facts = recordsFacts(history);
    this.activities = new ActivityDecoder(t, times, facts);
    this.operators = new OperatorDecoder(t, facts);
  }

  /** Whether the run's history holds the workflow's version marker for facts. */
  static boolean recordsFacts(History history) {
    for (HistoryEvent e : history.getEventsList()) {
      if (e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
          && e.getMarkerRecordedEventAttributes().getMarkerName().equals(VERSION_MARKER)) {
        var details = e.getMarkerRecordedEventAttributes().getDetailsMap();
        if (details.containsKey("changeId")
            && HistoryFacts.CHANGE.equals(PayloadJson.first(details.get("changeId")).asText(null))
            && details.containsKey("version")
            && PayloadJson.first(details.get("version")).asInt() == 1) {
          return true;
        }
      }
    }
    return false;
  }

  void read(History history) {
    for (HistoryEvent event : history.getEventsList()) {
      on(event);
    }
  }

  private void on(HistoryEvent e) {
    if (main) {
      t.lastEventAt = EventTimes.time(e);
    }
    switch (e.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> started(e);
      case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> upsert(e);
      case EVENT_TYPE_MARKER_RECORDED -> marker(e);
      case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> activities.scheduled(e);
      case EVENT_TYPE_ACTIVITY_TASK_STARTED -> activities.started(e);
      case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> activities.completed(e);
      case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
          activities.ended(
              e.getActivityTaskFailedEventAttributes().getScheduledEventId(),
              e,
              "failed",
              e.getActivityTaskFailedEventAttributes().getFailure());
      case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
          activities.ended(
              e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(),
              e,
              "timed out",
              e.getActivityTaskTimedOutEventAttributes().getFailure());
      case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
          activities.ended(
              e.getActivityTaskCanceledEventAttributes().getScheduledEventId(),
              e,
              "canceled",
              null);
      case EVENT_TYPE_TIMER_STARTED -> activities.timerStarted(e);
      case EVENT_TYPE_TIMER_FIRED ->
          activities.timerEnded(e.getTimerFiredEventAttributes().getTimerId(), e, "fired");
      case EVENT_TYPE_TIMER_CANCELED ->
          activities.timerEnded(e.getTimerCanceledEventAttributes().getTimerId(), e, "canceled");
      case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> operators.signaled(e);
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> operators.updateAccepted(e);
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> operators.updateCompleted(e);
      case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
          EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED ->
          childStarted(e);
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
          EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
          EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED,
          EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
          EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT ->
          childEnded(e);
      default -> {
        if (main) {
          runEnded(e);
        }
      }
    }
  }

  /**
   * A fact the workflow recorded with {@code Workflow.sideEffect}: a signal's judgement, or the
   * step a wait is.
   */
  private void marker(HistoryEvent e) {
    var a = e.getMarkerRecordedEventAttributes();
    if (!a.getMarkerName().equals(SIDE_EFFECT_MARKER) || !a.getDetailsMap().containsKey("data")) {
      return;
    }
    JsonNode fact = PayloadJson.first(a.getDetailsMap().get("data"));
    String kind = PayloadJson.text(fact, "fact");
    if (OperatorFact.KIND.equals(kind)) {
      operators.fact(fact);
    } else if (StepFact.KIND.equals(kind)) {
      activities.waitStepFact(fact);
    }
  }

  private void started(HistoryEvent e) {
    var a = e.getWorkflowExecutionStartedEventAttributes();
    if (!main) {
      return;
    }
    JsonNode input = PayloadJson.first(a.getInput());
    if (t.runs.isEmpty()) {
      t.startedAt = EventTimes.time(e);
      t.startedBy = a.getIdentity().isEmpty() ? null : a.getIdentity();
      PlanOutline.read(input.path("plan"), t);
    }
    t.runs.add(new ReportRun(a.getOriginalExecutionRunId(), EventTimes.time(e), null, "running"));
    t.ended = false;
    t.outcome = "running";
    t.outcomeDetail = null;
    t.endedAt = null;
    JsonNode checkpoint = input.path("checkpoint");
    if (checkpoint.isObject()) {
      // A continued run: its rounds go on where the last run stopped.
      t.presyncRound = checkpoint.path("nextPresyncRound").asInt(t.presyncRound);
      t.monitorCheck = checkpoint.path("nextMonitorCheck").asInt(t.monitorCheck);
      t.checkpointMonitorChecks = Math.max(t.checkpointMonitorChecks, t.monitorCheck - 1);
      if (t.runs.size() == 1) {
        t.notes.add(
            "this history starts with a continued run: earlier runs of the migration were not read");
      }
    }
  }

  private void upsert(HistoryEvent e) {
    var fields =
        e.getUpsertWorkflowSearchAttributesEventAttributes()
            .getSearchAttributes()
            .getIndexedFieldsMap();
    Instant at = times.workflowTime(e);
    if (fields.containsKey(PHASE_ATTRIBUTE)) {
      enterPhase(PayloadJson.string(fields.get(PHASE_ATTRIBUTE)), at);
    }
    if (fields.containsKey(WAITING_FOR_ATTRIBUTE)) {
      String value = PayloadJson.string(fields.get(WAITING_FOR_ATTRIBUTE));
      t.waitingFor = value == null ? "" : value;
      if (t.waitingFor.startsWith("gate:")) {
        GateTimeline gate = t.gate(t.waitingFor.substring("gate:".length()));
        if (gate.openedAt == null) {
          gate.openedAt = at;
        }
      }
    }
  }

  private void enterPhase(String value, Instant at) {
    if (value == null) {
      return;
    }
    if (t.phase != null
        && Timeline.DOWNTIME_SPAN.contains(t.phase)
        && !Timeline.DOWNTIME_SPAN.contains(value)
        && t.downtimeStart != null
        && t.downtimeSpanLeft == null) {
      t.downtimeSpanLeft = at;
    }
    PhaseTimeline last = t.phases.isEmpty() ? null : t.phases.get(t.phases.size() - 1);
    if (last != null && last.endedAt == null && !last.name.equals(value)) {
      last.endedAt = at;
    }
    if (value.equals("rollback")) {
      t.aborting = true;
    }
    if (Timeline.FINAL_PHASES.contains(value)) {
      t.phase = value;
      return;
    }
    if (last == null || !last.name.equals(value)) {
      t.phases.add(new PhaseTimeline(value, at));
    } else {
      last.endedAt = null; // a continued run entering the phase it was in
    }
    t.phase = value;
  }

  private void childStarted(HistoryEvent e) {
    if (e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
      return;
    }
    var a = e.getChildWorkflowExecutionStartedEventAttributes();
    String id = a.getWorkflowExecution().getWorkflowId();
    String runId = a.getWorkflowExecution().getRunId();
    t.childReports.add(
        new ChildReport(
            id, runId, a.getWorkflowType().getName(), EventTimes.time(e), null, "running"));
    List<History> childRuns;
    try {
      childRuns = children.fetch(id, runId);
    } catch (RuntimeException ex) {
      childRuns = List.of();
    }
    if (childRuns.isEmpty()) {
      t.notes.add(
          "the history of child workflow "
              + id
              + " was not read; its steps are not in this report");
      return;
    }
    // The child's steps belong to the migration: read them as if the parent ran them.
    for (History run : childRuns) {
      new RunDecoder(t, children, run, false).read(run);
    }
  }

  private void childEnded(HistoryEvent e) {
    String id =
        switch (e.getEventType()) {
          case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED ->
              e.getChildWorkflowExecutionCompletedEventAttributes()
                  .getWorkflowExecution()
                  .getWorkflowId();
          case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED ->
              e.getChildWorkflowExecutionFailedEventAttributes()
                  .getWorkflowExecution()
                  .getWorkflowId();
          case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED ->
              e.getChildWorkflowExecutionCanceledEventAttributes()
                  .getWorkflowExecution()
                  .getWorkflowId();
          case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED ->
              e.getChildWorkflowExecutionTerminatedEventAttributes()
                  .getWorkflowExecution()
                  .getWorkflowId();
          default ->
              e.getChildWorkflowExecutionTimedOutEventAttributes()
                  .getWorkflowExecution()
                  .getWorkflowId();
        };
    String how =
        e.getEventType()
            .name()
            .replace("EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_", "")
            .toLowerCase(Locale.ROOT)
            .replace('_', ' ');
    for (int i = 0; i < t.childReports.size(); i++) {
      ChildReport c = t.childReports.get(i);
      if (c.workflowId().equals(id) && c.endedAt() == null) {
        t.childReports.set(
            i,
            new ChildReport(
                c.workflowId(), c.runId(), c.type(), c.startedAt(), EventTimes.time(e), how));
      }
    }
  }

  private void runEnded(HistoryEvent e) {
    String how;
    String detail = null;
    switch (e.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
        t.result = PayloadJson.first(e.getWorkflowExecutionCompletedEventAttributes().getResult());
        String resultOutcome = PayloadJson.text(t.result, "outcome");
        how = resultOutcome == null ? "completed" : resultOutcome.toLowerCase(Locale.ROOT);
        detail = PayloadJson.text(t.result, "abortReason");
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> how = "continued as new";
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
        var failure = e.getWorkflowExecutionFailedEventAttributes().getFailure();
        var app = failure.getApplicationFailureInfo();
        if (failure.hasApplicationFailureInfo()
            && MigrationResults.isAbortedOrHeld(app.getType())
            && app.getDetails().getPayloadsCount() > 0) {
          // An aborted or held run ends as failed (so the UI's list does not call it completed);
          // its result is the details.
          t.result = PayloadJson.first(app.getDetails());
          String resultOutcome = PayloadJson.text(t.result, "outcome");
          how = resultOutcome == null ? "failed" : resultOutcome.toLowerCase(Locale.ROOT);
          detail = PayloadJson.text(t.result, "abortReason");
        } else {
          how = "failed";
          detail = Failures.message(failure);
        }
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
        var term = e.getWorkflowExecutionTerminatedEventAttributes();
        how = "terminated";
        detail =
            (term.getReason().isEmpty() ? "no reason given" : term.getReason())
                + (term.getIdentity().isEmpty() ? "" : " (by " + term.getIdentity() + ")");
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> how = "canceled";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> how = "timed out";
      default -> {
        return;
      }
    }
    Instant at = EventTimes.time(e);
    activities.runClosed(at);
    ReportRun run = t.runs.get(t.runs.size() - 1);
    t.runs.set(t.runs.size() - 1, new ReportRun(run.runId(), run.startedAt(), at, how));
    t.ended = !how.equals("continued as new");
    t.outcome = t.ended ? how : "continued as new";
    t.outcomeDetail = detail;
    t.endedAt = t.ended ? at : null;
    if (!t.ended) {
      return;
    }
    PhaseTimeline last = t.phases.isEmpty() ? null : t.phases.get(t.phases.size() - 1);
    if (last != null && last.endedAt == null) {
      last.endedAt = at;
    }
    if (t.downtimeStart != null && t.downtimeSpanLeft == null) {
      t.downtimeSpanLeft = at;
    }
  }
}
