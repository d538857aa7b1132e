package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.workflow.StepFact;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one run's activities and timers into the timeline. Which step an activity belongs to (its
 * phase, try, round, whether it is an undo or preflight) is the {@link StepFact} the workflow put
 * in its header; a wait step's timer follows a marker holding one. Histories recorded before the
 * facts are placed by {@link LegacyStepNames}.
 */
final class ActivityDecoder {
  private static final String NOTIFY_ACTIVITY = "NotifySend";

  private final Timeline t;
  private final EventTimes times;

  /**
   * Whether the run records facts: then an activity without a step header is the workflow's own.
   */
  private final boolean facts;

  private final Map<Long, Execution> activities = new HashMap<>();
  private final Map<Long, NotificationTimeline> sending = new HashMap<>();
  private final Map<String, WaitTimeline> timers = new HashMap<>();

  /** The wait step the next timer is, from the marker before it. */
  private JsonNode waitStep;

  ActivityDecoder(Timeline t, EventTimes times, boolean facts) {
    this.t = t;
    this.times = times;
    this.facts = facts;
  }

  /**
   * The run's activities still open when the reading ended (the last run's are the pending ones).
   */
  Iterable<Execution> open() {
    return activities.values();
  }

  void waitStepFact(JsonNode fact) {
    waitStep = PayloadJson.text(fact, "step") == null ? null : fact;
  }

  void scheduled(HistoryEvent e) {
    var a = e.getActivityTaskScheduledEventAttributes();
    String type = a.getActivityType().getName();
    JsonNode fact =
        a.getHeader().containsFields(StepFact.HEADER)
            ? PayloadJson.of(a.getHeader().getFieldsOrThrow(StepFact.HEADER))
            : null;
    if (fact != null && PayloadJson.text(fact, "step") != null) {
      Execution exec =
          t.execution(
              fact.path("step").asText(),
              PayloadJson.text(fact, "phase"),
              fact.path("undo").asBoolean(),
              type,
              times.workflowTime(e),
              fact.path("round").asInt(),
              fact.path("attempt").asInt(1));
      exec.activityId = a.getActivityId();
      activities.put(e.getEventId(), exec);
      return;
    }
    String summary =
        e.hasUserMetadata() ? PayloadJson.string(e.getUserMetadata().getSummary()) : null;
    if (isNotification(type, summary, a.getInput())) {
      JsonNode request = PayloadJson.first(a.getInput());
      String event = PayloadJson.text(request, "event");
      NotificationTimeline n =
          new NotificationTimeline(
              event == null ? "notification" : PlanOutline.kindName(event),
              PayloadJson.text(request, "title"),
              t.phase,
              times.workflowTime(e));
      sending.put(e.getEventId(), n);
      t.notifications.add(n);
      return;
    }
    String stepPhase = t.phase;
    String stepName = null;
    String[] named = facts ? null : LegacyStepNames.phaseAndStep(summary);
    if (named != null) {
      stepPhase = named[0] != null ? named[0] : t.phase;
      stepName = named[1];
    }
    if (type.equals("Preflight")) {
      stepName = "preflight";
      stepPhase = "prepare";
    }
    if (stepName == null && !facts) {
      // No summary (an older or foreign history): the requests name their step.
      stepName = PayloadJson.text(PayloadJson.first(a.getInput()), "step");
    }
    if (stepName == null) {
      stepName = type;
    }
    boolean undo = stepName.endsWith(".undo");
    String owner = undo ? stepName.substring(0, stepName.length() - ".undo".length()) : stepName;
    Execution exec = legacyExecution(owner, stepPhase, undo, type, times.workflowTime(e));
    exec.activityId = a.getActivityId();
    activities.put(e.getEventId(), exec);
  }

  /**
   * An execution placed without facts: its round from the round timers, its try from the retries
   * decided.
   */
  private Execution legacyExecution(
      String owner, String stepPhase, boolean undo, String activity, Instant at) {
    StepTimeline step = t.step(owner, stepPhase, activity);
    int round = t.roundOf(step.plan.phase());
    return t.execution(
        owner, stepPhase, undo, activity, at, round, undo ? 1 : Timeline.derivedTry(step, round));
  }

  /**
   * The workflow's own notifications (a gate opened, the downtime started...) are the notify
   * activity without a step: in a run with facts, without a step header; before, its summary names
   * no step and its request has none. A notify step's activity stays a step.
   */
  private boolean isNotification(
      String activityType, String summary, io.temporal.api.common.v1.Payloads input) {
    if (!activityType.equals(NOTIFY_ACTIVITY)) {
      return false;
    }
    return facts
        || (LegacyStepNames.phaseAndStep(summary) == null
            && PayloadJson.text(PayloadJson.first(input), "step") == null);
  }

  void started(HistoryEvent e) {
    var a = e.getActivityTaskStartedEventAttributes();
    NotificationTimeline notification = sending.get(a.getScheduledEventId());
    if (notification != null) {
      notification.attempts = a.getAttempt();
      return;
    }
    Execution exec = activities.get(a.getScheduledEventId());
    if (exec == null) {
      return;
    }
    exec.startedAt = EventTimes.time(e);
    exec.attempts = a.getAttempt();
    if (a.hasLastFailure()) {
      exec.previousAttemptError = Failures.message(a.getLastFailure());
      exec.earlier.put(
          exec.attempts - 1,
          new AttemptFailure(
              exec.attempts - 1, exec.previousAttemptError, Failures.type(a.getLastFailure())));
      exec.carried(a.getLastFailure());
    }
  }

  void completed(HistoryEvent e) {
    var a = e.getActivityTaskCompletedEventAttributes();
    NotificationTimeline notification = sending.get(a.getScheduledEventId());
    if (notification != null) {
      notification.delivered(EventTimes.time(e), PayloadJson.first(a.getResult()));
      return;
    }
    Execution exec = activities.get(a.getScheduledEventId());
    if (exec == null) {
      return;
    }
    exec.endedAt = EventTimes.time(e);
    exec.outcome = "succeeded";
    JsonNode r = PayloadJson.first(a.getResult());
    exec.exitCode = r.path("exitCode").isInt() ? r.path("exitCode").asInt() : null;
    exec.outputTail = PayloadJson.text(r, "outputTail");
    if (r.has("changedFiles") && r.has("bytesTransferred")) {
      exec.rsync = r;
      exec.detail =
          String.format(
              Locale.ROOT,
              "rsync changed %,d items, sent %,d files (%s) in %s",
              r.path("changedFiles").asLong(),
              r.path("filesTransferred").asLong(),
              ReportText.bytes(r.path("bytesTransferred").asLong()),
              ReportText.duration(Duration.ofMillis(r.path("durationMillis").asLong())));
    } else if (r.has("lagBytes")) {
      exec.detail =
          String.format(
              Locale.ROOT, "replication lag %s", ReportText.bytes(r.path("lagBytes").asLong()));
    }
  }

  void ended(long scheduledId, HistoryEvent e, String how, Failure failure) {
    NotificationTimeline notification = sending.get(scheduledId);
    if (notification != null) {
      notification.endedAt = EventTimes.time(e);
      notification.outcome = "not delivered";
      notification.detail =
          failure == null
              ? how
              : how.equals("failed")
                  ? Failures.message(failure)
                  : how + ": " + Failures.message(failure);
      return;
    }
    Execution exec = activities.get(scheduledId);
    if (exec == null) {
      return;
    }
    exec.endedAt = EventTimes.time(e);
    exec.outcome = how;
    if (failure != null) {
      exec.carried(failure);
      exec.error = Failures.message(failure);
      Failure root = Failures.root(failure);
      if (root.hasApplicationFailureInfo()) {
        exec.errorType = root.getApplicationFailureInfo().getType();
        JsonNode details = PayloadJson.first(root.getApplicationFailureInfo().getDetails());
        exec.exitCode = details.path("exitCode").isInt() ? details.path("exitCode").asInt() : null;
        exec.outputTail = PayloadJson.text(details, "outputTail");
      } else if (failure.hasTimeoutFailureInfo()) {
        exec.errorType = "Timeout";
      }
    }
  }

  void timerStarted(HistoryEvent e) {
    String summary =
        e.hasUserMetadata() ? PayloadJson.string(e.getUserMetadata().getSummary()) : null;
    String what =
        summary != null
            ? summary
            // Past its final phase the workflow only waits, bounded, for notifications still in
            // flight.
            : t.phase != null && Timeline.FINAL_PHASES.contains(t.phase)
                ? "notifications still being sent"
                : "timer " + e.getTimerStartedEventAttributes().getTimerId();
    WaitTimeline wait = new WaitTimeline(what, t.phase, EventTimes.time(e));
    timers.put(e.getTimerStartedEventAttributes().getTimerId(), wait);
    t.waits.add(wait);
    Execution exec = null;
    if (facts) {
      if (waitStep != null) {
        exec =
            t.execution(
                waitStep.path("step").asText(),
                PayloadJson.text(waitStep, "phase"),
                waitStep.path("undo").asBoolean(),
                "timer",
                times.workflowTime(e),
                waitStep.path("round").asInt(),
                waitStep.path("attempt").asInt(1));
        waitStep = null;
      }
    } else {
      LegacyStepNames.roundTimer(what, t);
      String name = LegacyStepNames.waitStep(what);
      if (name != null) {
        StepTimeline step = t.steps.get(name);
        exec =
            legacyExecution(
                name,
                step == null ? t.phase : step.plan.phase(),
                false,
                "timer",
                times.workflowTime(e));
      }
    }
    if (exec != null) {
      exec.startedAt = exec.scheduledAt;
      exec.attempts = 1;
      wait.step = exec;
    }
  }

  void timerEnded(String timerId, HistoryEvent e, String how) {
    WaitTimeline wait = timers.get(timerId);
    if (wait == null) {
      return;
    }
    wait.endedAt = EventTimes.time(e);
    wait.outcome = how;
    if (!facts && LegacyStepNames.isBudgetTimer(wait.what) && how.equals("fired")) {
      t.budgetFired = true;
    }
    if (wait.step != null) {
      wait.step.endedAt = wait.endedAt;
      wait.step.outcome = how.equals("fired") ? "succeeded" : "canceled";
    }
  }

  /**
   * A wait the run was still in when it closed ended with it (a bounded wait whose condition came
   * true).
   */
  void runClosed(Instant at) {
    for (WaitTimeline wait : timers.values()) {
      if (wait.endedAt == null) {
        wait.endedAt = at;
        wait.outcome = "ended";
      }
    }
  }
}
