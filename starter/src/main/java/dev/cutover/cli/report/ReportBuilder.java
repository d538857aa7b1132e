package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.workflow.MigrationResults;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.MigrationWorkflow;
import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a migration's history events into a {@link MigrationReport}. It reads what the workflow
 * wrote on purpose: the plan in the input, activity summaries ({@code phase / step: kind ...}),
 * timer summaries, the phase and waiting-for search attributes, signals and updates with their
 * identity, and the result. It works for every recorded version, since those have been stable
 * since the first release; where a history says less (a run still going, a run terminated), the
 * report says less.
 */
public final class ReportBuilder {
  /** Histories of a child workflow's runs, first run first; empty when they cannot be read. */
  public interface ChildHistories {
    List<History> fetch(String workflowId, String runId);
  }

  static final String PHASE_ATTRIBUTE = "CutoverPhase";
  static final String WAITING_FOR_ATTRIBUTE = "CutoverWaitingFor";
  private static final Set<String> FINAL_PHASES = Set.of("completed", "aborted", "held");
  private static final Set<String> DOWNTIME_SPAN = Set.of("downtime", "switch", "verify");
  /** {@code phase / step: kind on host (timeout 10m)}, as StepExecutor writes it. */
  private static final Pattern ACTIVITY_SUMMARY = Pattern.compile("^(?:([a-z-]+) / )?(.+?): ([a-z-]+)\\b.*$", Pattern.DOTALL);
  private static final Pattern ROUND_TIMER = Pattern.compile("^(presync round|monitor check) (\\d+)\\b.*");
  private static final String NOTIFY_ACTIVITY = "NotifySend";
  private static final Pattern TIMER_DURATION = Pattern.compile("^(.*) \\(([0-9a-z]+)\\)$");

  private final String workflowId;
  private final ChildHistories children;

  private String migration;
  private String description;
  private Duration budget;
  private final Map<String, PlanStep> planSteps = new LinkedHashMap<>();
  private final Map<String, StepState> steps = new LinkedHashMap<>();
  private final Map<String, GateState> gates = new LinkedHashMap<>();
  private final List<OperatorAction> actions = new ArrayList<>();
  private final List<WaitState> waits = new ArrayList<>();
  private final List<PhaseState> phases = new ArrayList<>();
  private final List<ReportRun> runs = new ArrayList<>();
  private final List<ChildReport> childReports = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<Integer, RoundState> rounds = new LinkedHashMap<>();
  private final List<NotifyState> notifications = new ArrayList<>();

  // The run being read.
  private Map<Long, HistoryEvent> byId = new HashMap<>();
  private final Map<Long, ExecState> activities = new HashMap<>();
  private final Map<Long, NotifyState> sending = new HashMap<>();
  private final Map<String, WaitState> timers = new HashMap<>();
  private String phase;
  private String waitingFor = "";
  private int presyncRound = 1;
  private int monitorCheck = 1;
  private boolean aborting;
  private boolean ended;
  private int checkpointMonitorChecks;

  private String outcome = "running";
  private String outcomeDetail;
  private Instant startedAt;
  private Instant endedAt;
  private String startedBy;
  private JsonNode result;
  private Instant downtimeStart;
  private Instant downtimeSpanLeft;
  private boolean budgetFired;

  private ReportBuilder(String workflowId, ChildHistories children) {
    this.workflowId = workflowId;
    this.children = children;
  }

  /** The report of the runs of one workflow id, first run first. */
  public static MigrationReport build(String workflowId, List<History> runs, ChildHistories children) {
    return build(workflowId, runs, children, Map.of());
  }

  /**
   * The report, with the attempt Temporal is at for the activities of the last run that are still
   * pending (running, or waiting out a retry's backoff): the history writes an attempt only once
   * the activity ends, so only the server's description of the run knows it.
   *
   * @param pendingAttempts attempt by activity id, from DescribeWorkflowExecution's pending activities
   */
  public static MigrationReport build(String workflowId, List<History> runs, ChildHistories children, Map<String, Integer> pendingAttempts) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no history to report on");
    }
    runs.forEach(ReportBuilder::requireMigration);
    ReportBuilder builder = new ReportBuilder(workflowId, children == null ? (id, run) -> List.of() : children);
    for (History run : runs) {
      builder.read(run, true);
    }
    // What is left in activities is the last run's: the one the pending activities belong to.
    for (ExecState exec : builder.activities.values()) {
      Integer attempt = exec.activityId == null ? null : pendingAttempts.get(exec.activityId);
      if (attempt != null && exec.endedAt == null && attempt > exec.attempts) {
        exec.attempts = attempt;
      }
    }
    return builder.report();
  }

  /** The workflow type cutover starts, as its interface names it (not the Java class name). */
  static final String MIGRATION_TYPE = POJOWorkflowInterfaceMetadata.newInstance(MigrationWorkflow.class)
      .getWorkflowMethod().orElseThrow().getName();

  /**
   * A report of another workflow's history would be empty and read as a migration that did
   * nothing ("Migration report: null"); say what the history is instead.
   */
  static void requireMigration(History run) {
    HistoryEvent first = run.getEventsCount() == 0 ? null : run.getEvents(0);
    if (first == null || first.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
      throw new NotAMigrationException("the history does not begin with the workflow's start event (its first event is "
          + (first == null ? "missing" : first.getEventType().name().replace("EVENT_TYPE_", "").toLowerCase(Locale.ROOT).replace('_', ' ')) + ")"
          + ": export the whole history, from its first event");
    }
    String type = first.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName();
    if (!type.equals(MIGRATION_TYPE)) {
      throw new NotAMigrationException("the history is of a workflow of type '" + TerminalText.line(type)
          + "', not a cutover migration (type '" + MIGRATION_TYPE + "')");
    }
  }

  // --- reading ---------------------------------------------------------------------------------

  private void read(History history, boolean main) {
    Map<Long, HistoryEvent> outer = byId;
    byId = new HashMap<>();
    history.getEventsList().forEach(e -> byId.put(e.getEventId(), e));
    activities.clear();
    sending.clear();
    timers.clear();
    for (HistoryEvent event : history.getEventsList()) {
      on(event, main);
    }
    byId = outer;
  }

  private void on(HistoryEvent e, boolean main) {
    switch (e.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> started(e, main);
      case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> upsert(e);
      case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> activityScheduled(e);
      case EVENT_TYPE_ACTIVITY_TASK_STARTED -> activityStarted(e);
      case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> activityCompleted(e);
      case EVENT_TYPE_ACTIVITY_TASK_FAILED -> activityEnded(e.getActivityTaskFailedEventAttributes().getScheduledEventId(), e,
          "failed", e.getActivityTaskFailedEventAttributes().getFailure());
      case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> activityEnded(e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(), e,
          "timed out", e.getActivityTaskTimedOutEventAttributes().getFailure());
      case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> activityEnded(e.getActivityTaskCanceledEventAttributes().getScheduledEventId(), e,
          "canceled", null);
      case EVENT_TYPE_TIMER_STARTED -> timerStarted(e);
      case EVENT_TYPE_TIMER_FIRED -> timerEnded(e.getTimerFiredEventAttributes().getTimerId(), e, "fired");
      case EVENT_TYPE_TIMER_CANCELED -> timerEnded(e.getTimerCanceledEventAttributes().getTimerId(), e, "canceled");
      case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> signaled(e);
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> updateAccepted(e);
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> updateCompleted(e);
      case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED -> childStarted(e);
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
          EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED, EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
          EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT -> childEnded(e);
      default -> {
        if (main) {
          runEnded(e);
        }
      }
    }
  }

  private void started(HistoryEvent e, boolean main) {
    var a = e.getWorkflowExecutionStartedEventAttributes();
    if (!main) {
      return;
    }
    JsonNode input = PayloadJson.first(a.getInput());
    if (runs.isEmpty()) {
      startedAt = time(e);
      startedBy = a.getIdentity().isEmpty() ? null : a.getIdentity();
      plan(input.path("plan"));
    }
    runs.add(new ReportRun(a.getOriginalExecutionRunId(), time(e), null, "running"));
    ended = false;
    outcome = "running";
    outcomeDetail = null;
    endedAt = null;
    JsonNode checkpoint = input.path("checkpoint");
    if (checkpoint.isObject()) {
      // A continued run: its rounds go on where the last run stopped.
      presyncRound = checkpoint.path("nextPresyncRound").asInt(presyncRound);
      monitorCheck = checkpoint.path("nextMonitorCheck").asInt(monitorCheck);
      checkpointMonitorChecks = Math.max(checkpointMonitorChecks, monitorCheck - 1);
      if (runs.size() == 1) {
        notes.add("this history starts with a continued run: earlier runs of the migration were not read");
      }
    }
  }

  private void plan(JsonNode plan) {
    migration = PayloadJson.text(plan, "migration");
    description = PayloadJson.text(plan, "description");
    budget = duration(plan.path("window").path("downtimeBudget"));
    JsonNode phasesNode = plan.path("phases");
    for (var field : iterable(phasesNode.fields())) {
      if (!field.getValue().isObject()) {
        continue;
      }
      String phaseName = phaseName(field.getKey());
      for (JsonNode step : field.getValue().path("steps")) {
        String name = PayloadJson.text(step, "name");
        if (name != null) {
          planSteps.put(name, new PlanStep(phaseName, name, kindName(PayloadJson.text(step, "kind")), place(step),
              PayloadJson.text(step, "description")));
        }
      }
    }
    // The workflow runs phases in a fixed order whatever the input's field order.
    List<PlanStep> ordered = new ArrayList<>(planSteps.values());
    ordered.sort(java.util.Comparator.comparingInt(s -> PHASE_ORDER.indexOf(s.phase())));
    planSteps.clear();
    ordered.forEach(s -> planSteps.put(s.name(), s));
    ordered.forEach(s -> steps.put(s.name(), new StepState(s)));
    for (JsonNode gate : plan.path("gates")) {
      String name = PayloadJson.text(gate, "name");
      if (name != null) {
        gates.put(name, new GateState(name, PayloadJson.text(gate, "before"), PayloadJson.text(gate, "description")));
      }
    }
  }

  private static final List<String> PHASE_ORDER =
      List.of("prepare", "lower-ttl", "presync", "downtime", "switch", "verify", "monitor", "finish");

  /** Phase field names in the input are the record's ({@code lowerTtl}, {@code switchTraffic}). */
  private static String phaseName(String field) {
    return switch (field) {
      case "lowerTtl" -> "lower-ttl";
      case "switchTraffic" -> "switch";
      default -> field;
    };
  }

  private static String kindName(String kind) {
    return kind == null ? null : kind.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String place(JsonNode step) {
    String host = PayloadJson.text(step, "host");
    String from = PayloadJson.text(step, "from");
    String to = PayloadJson.text(step, "to");
    if (host != null) {
      return host;
    }
    if (from != null || to != null) {
      return (from == null ? "?" : from) + " → " + (to == null ? "?" : to);
    }
    return null;
  }

  private void upsert(HistoryEvent e) {
    var fields = e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap();
    Instant at = workflowTime(e);
    if (fields.containsKey(PHASE_ATTRIBUTE)) {
      enterPhase(PayloadJson.string(fields.get(PHASE_ATTRIBUTE)), at);
    }
    if (fields.containsKey(WAITING_FOR_ATTRIBUTE)) {
      String value = PayloadJson.string(fields.get(WAITING_FOR_ATTRIBUTE));
      waitingFor = value == null ? "" : value;
      if (waitingFor.startsWith("gate:")) {
        String name = waitingFor.substring("gate:".length());
        GateState gate = gates.computeIfAbsent(name, n -> new GateState(n, phase, null));
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
    if (phase != null && DOWNTIME_SPAN.contains(phase) && !DOWNTIME_SPAN.contains(value) && downtimeStart != null && downtimeSpanLeft == null) {
      downtimeSpanLeft = at;
    }
    PhaseState last = phases.isEmpty() ? null : phases.get(phases.size() - 1);
    if (last != null && last.endedAt == null && !last.name.equals(value)) {
      last.endedAt = at;
    }
    if (value.equals("rollback")) {
      aborting = true;
    }
    if (FINAL_PHASES.contains(value)) {
      phase = value;
      return;
    }
    if (last == null || !last.name.equals(value)) {
      phases.add(new PhaseState(value, at));
    } else {
      last.endedAt = null; // a continued run entering the phase it was in
    }
    phase = value;
  }

  private void activityScheduled(HistoryEvent e) {
    var a = e.getActivityTaskScheduledEventAttributes();
    String summary = e.hasUserMetadata() ? PayloadJson.string(e.getUserMetadata().getSummary()) : null;
    if (isNotification(a.getActivityType().getName(), summary, a.getInput())) {
      JsonNode request = PayloadJson.first(a.getInput());
      String event = PayloadJson.text(request, "event");
      sending.put(e.getEventId(), new NotifyState(event == null ? "notification" : kindName(event), PayloadJson.text(request, "title"), phase,
          workflowTime(e)));
      notifications.add(sending.get(e.getEventId()));
      return;
    }
    String stepPhase = phase;
    String stepName = null;
    if (summary != null) {
      Matcher m = ACTIVITY_SUMMARY.matcher(summary);
      if (m.matches()) {
        stepPhase = m.group(1) != null ? m.group(1) : phase;
        stepName = m.group(2);
      }
    }
    if (a.getActivityType().getName().equals("Preflight")) {
      stepName = "preflight";
      stepPhase = "prepare";
    }
    if (stepName == null) {
      // No summary (an older or foreign history): the requests name their step.
      stepName = PayloadJson.text(PayloadJson.first(a.getInput()), "step");
    }
    if (stepName == null) {
      stepName = a.getActivityType().getName();
    }
    boolean undo = stepName.endsWith(".undo");
    String owner = undo ? stepName.substring(0, stepName.length() - ".undo".length()) : stepName;
    ExecState exec = newExecution(owner, stepPhase, undo, a.getActivityType().getName(), workflowTime(e));
    exec.activityId = a.getActivityId();
    activities.put(e.getEventId(), exec);
  }

  /**
   * The workflow's own notifications (a gate opened, the downtime started...) are the notify
   * activity without a step: its summary names no step and its request has none. A notify step's
   * activity names its step and stays a step.
   */
  private static boolean isNotification(String activityType, String summary, io.temporal.api.common.v1.Payloads input) {
    if (!activityType.equals(NOTIFY_ACTIVITY) || (summary != null && ACTIVITY_SUMMARY.matcher(summary).matches())) {
      return false;
    }
    return PayloadJson.text(PayloadJson.first(input), "step") == null;
  }

  private ExecState newExecution(String owner, String stepPhase, boolean undo, String activity, Instant at) {
    StepState step = step(owner, stepPhase, activity);
    int round = roundOf(step.plan.phase());
    ExecState exec = new ExecState(undo, round, activity, at);
    if (!undo) {
      if (step.lastRound != round || step.lastTry == 0) {
        exec.attemptOfStep = 1;
      } else {
        exec.attemptOfStep = step.retryDecided ? step.lastTry + 1 : step.lastTry;
      }
      step.retryDecided = false;
      step.lastRound = round;
      step.lastTry = exec.attemptOfStep;
      if (DOWNTIME_SPAN.contains(step.plan.phase()) && downtimeStart == null && !aborting) {
        downtimeStart = at;
      }
    } else {
      exec.attemptOfStep = 1;
    }
    step.executions.add(exec);
    if ("presync".equals(step.plan.phase()) && !undo) {
      rounds.computeIfAbsent(round, RoundState::new).add(exec);
    }
    return exec;
  }

  private StepState step(String name, String stepPhase, String activity) {
    StepState step = steps.get(name);
    if (step == null) {
      boolean preflight = name.equals("preflight");
      step = new StepState(new PlanStep(stepPhase == null ? "prepare" : stepPhase, name, preflight ? "preflight" : activity, null,
          preflight ? "hosts reachable with verified keys, tools present, room for the copies" : null));
      if (preflight) {
        Map<String, StepState> rest = new LinkedHashMap<>(steps);
        steps.clear();
        steps.put(name, step);
        steps.putAll(rest);
      } else {
        steps.put(name, step);
      }
    }
    return step;
  }

  private int roundOf(String stepPhase) {
    return switch (stepPhase == null ? "" : stepPhase) {
      case "presync" -> presyncRound;
      case "monitor" -> monitorCheck;
      default -> 0;
    };
  }

  private void activityStarted(HistoryEvent e) {
    var a = e.getActivityTaskStartedEventAttributes();
    NotifyState notification = sending.get(a.getScheduledEventId());
    if (notification != null) {
      notification.attempts = a.getAttempt();
      return;
    }
    ExecState exec = activities.get(a.getScheduledEventId());
    if (exec == null) {
      return;
    }
    exec.startedAt = time(e);
    exec.attempts = a.getAttempt();
    if (a.hasLastFailure()) {
      exec.previousAttemptError = message(a.getLastFailure());
      exec.earlier.put(exec.attempts - 1, new AttemptFailure(exec.attempts - 1, exec.previousAttemptError, type(a.getLastFailure())));
      exec.carried(a.getLastFailure());
    }
  }

  private void activityCompleted(HistoryEvent e) {
    var a = e.getActivityTaskCompletedEventAttributes();
    NotifyState notification = sending.get(a.getScheduledEventId());
    if (notification != null) {
      notification.delivered(time(e), PayloadJson.first(a.getResult()));
      return;
    }
    ExecState exec = activities.get(a.getScheduledEventId());
    if (exec == null) {
      return;
    }
    exec.endedAt = time(e);
    exec.outcome = "succeeded";
    JsonNode r = PayloadJson.first(a.getResult());
    exec.exitCode = r.path("exitCode").isInt() ? r.path("exitCode").asInt() : null;
    exec.outputTail = PayloadJson.text(r, "outputTail");
    if (r.has("changedFiles") && r.has("bytesTransferred")) {
      exec.rsync = r;
      exec.detail = String.format(Locale.ROOT, "rsync changed %,d items, sent %,d files (%s) in %s",
          r.path("changedFiles").asLong(), r.path("filesTransferred").asLong(), ReportText.bytes(r.path("bytesTransferred").asLong()),
          ReportText.duration(Duration.ofMillis(r.path("durationMillis").asLong())));
    } else if (r.has("lagBytes")) {
      exec.detail = String.format(Locale.ROOT, "replication lag %s", ReportText.bytes(r.path("lagBytes").asLong()));
    }
  }

  private void activityEnded(long scheduledId, HistoryEvent e, String how, Failure failure) {
    NotifyState notification = sending.get(scheduledId);
    if (notification != null) {
      notification.endedAt = time(e);
      notification.outcome = "not delivered";
      notification.detail = failure == null ? how : how.equals("failed") ? message(failure) : how + ": " + message(failure);
      return;
    }
    ExecState exec = activities.get(scheduledId);
    if (exec == null) {
      return;
    }
    exec.endedAt = time(e);
    exec.outcome = how;
    if (failure != null) {
      exec.carried(failure);
      exec.error = message(failure);
      Failure root = failure;
      while (!root.hasApplicationFailureInfo() && root.hasCause()) {
        root = root.getCause();
      }
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

  /** The application failure's type, or {@code Timeout} for a timeout; {@code null} for others. */
  private static String type(Failure failure) {
    Failure root = failure;
    while (!root.hasApplicationFailureInfo() && root.hasCause()) {
      root = root.getCause();
    }
    if (root.hasApplicationFailureInfo()) {
      return root.getApplicationFailureInfo().getType();
    }
    return failure.hasTimeoutFailureInfo() ? "Timeout" : null;
  }

  /** The failure as a person reads it: its message, with the cause's when it adds to it. */
  private static String message(Failure failure) {
    StringBuilder text = new StringBuilder(failure.getMessage());
    if (failure.hasTimeoutFailureInfo()) {
      text.append(" (").append(failure.getTimeoutFailureInfo().getTimeoutType().name()
          .replace("TIMEOUT_TYPE_", "").toLowerCase(Locale.ROOT).replace('_', '-')).append(")");
    }
    if (failure.hasCause() && !failure.getCause().getMessage().isEmpty()
        && !failure.getMessage().contains(failure.getCause().getMessage())) {
      text.append(": ").append(message(failure.getCause()));
    }
    return text.toString();
  }

  private void timerStarted(HistoryEvent e) {
    String summary = e.hasUserMetadata() ? PayloadJson.string(e.getUserMetadata().getSummary()) : null;
    String what = summary != null ? summary
        // Past its final phase the workflow only waits, bounded, for notifications still in flight.
        : phase != null && FINAL_PHASES.contains(phase) ? "notifications still being sent"
        : "timer " + e.getTimerStartedEventAttributes().getTimerId();
    Matcher duration = TIMER_DURATION.matcher(what);
    String label = duration.matches() ? duration.group(1) : what;
    WaitState wait = new WaitState(what, phase, time(e));
    timers.put(e.getTimerStartedEventAttributes().getTimerId(), wait);
    waits.add(wait);
    Matcher round = ROUND_TIMER.matcher(label);
    if (round.matches()) {
      int n = Integer.parseInt(round.group(2));
      if (round.group(1).equals("presync round")) {
        presyncRound = n;
      } else {
        monitorCheck = n;
      }
    }
    if (label.startsWith("wait step ")) {
      String name = label.substring("wait step ".length());
      StepState step = steps.get(name);
      ExecState exec = newExecution(name, step == null ? phase : step.plan.phase(), false, "timer", workflowTime(e));
      exec.startedAt = exec.scheduledAt;
      exec.attempts = 1;
      wait.step = exec;
    }
  }

  private void timerEnded(String timerId, HistoryEvent e, String how) {
    WaitState wait = timers.get(timerId);
    if (wait == null) {
      return;
    }
    wait.endedAt = time(e);
    wait.outcome = how;
    if (wait.what.startsWith("downtime budget") && how.equals("fired")) {
      budgetFired = true;
    }
    if (wait.step != null) {
      wait.step.endedAt = wait.endedAt;
      wait.step.outcome = how.equals("fired") ? "succeeded" : "canceled";
    }
  }

  private void signaled(HistoryEvent e) {
    var a = e.getWorkflowExecutionSignaledEventAttributes();
    JsonNode body = PayloadJson.first(a.getInput());
    String identity = a.getIdentity().isEmpty() ? null : a.getIdentity();
    String name = a.getSignalName();
    Instant at = time(e);
    switch (name) {
      case "approve" -> approve(at, body, identity, "signal", null);
      case "decide" -> decide(at, body, identity, "signal", null);
      case "abort" -> abort(at, body, identity, "signal", null);
      default -> actions.add(new OperatorAction(at, name, null, null, null, null, identity, "signal", true,
          "a signal cutover does not know; the workflow did nothing with it"));
    }
  }

  private final Map<String, OperatorAction[]> pendingUpdates = new HashMap<>();

  private void updateAccepted(HistoryEvent e) {
    var a = e.getWorkflowExecutionUpdateAcceptedEventAttributes();
    var request = a.getAcceptedRequest();
    JsonNode body = PayloadJson.first(request.getInput().getArgs());
    String identity = request.getMeta().getIdentity().isEmpty() ? null : request.getMeta().getIdentity();
    Instant at = time(e);
    OperatorAction[] slot = new OperatorAction[1];
    switch (request.getInput().getName()) {
      case "approveGate" -> approve(at, body, identity, "update", slot);
      case "decideStep" -> decide(at, body, identity, "update", slot);
      case "abortMigration" -> abort(at, body, identity, "update", slot);
      default -> {
        return;
      }
    }
    pendingUpdates.put(request.getMeta().getUpdateId(), slot);
  }

  private void updateCompleted(HistoryEvent e) {
    var a = e.getWorkflowExecutionUpdateCompletedEventAttributes();
    OperatorAction[] slot = pendingUpdates.remove(a.getMeta().getUpdateId());
    if (slot == null || slot[0] == null) {
      return;
    }
    int index = actions.indexOf(slot[0]);
    OperatorAction action = slot[0];
    if (a.getOutcome().hasFailure()) {
      actions.set(index, new OperatorAction(action.at(), action.kind(), action.target(), action.action(), action.comment(), action.by(),
          action.identity(), action.via(), false, "refused: " + a.getOutcome().getFailure().getMessage()));
    } else if (action.kind().equals("abort")) {
      String message = PayloadJson.text(PayloadJson.first(a.getOutcome().getSuccess()), "message");
      if (message != null) {
        actions.set(index, new OperatorAction(action.at(), action.kind(), action.target(), action.action(), action.comment(), action.by(),
            action.identity(), action.via(), true, message));
      }
    }
  }

  /**
   * An approval by signal is ignored (and noted by the workflow) unless the gate is open; an update
   * the workflow refuses never reaches the history, so every update here was accepted.
   */
  private void approve(Instant at, JsonNode body, String identity, String via, OperatorAction[] slot) {
    String gateName = PayloadJson.text(body, "gate");
    String comment = PayloadJson.text(body, "comment");
    String by = PayloadJson.text(body, "by");
    String problem = via.equals("update") ? null : approvalProblem(gateName);
    if (problem == null && gateName != null) {
      GateState gate = gates.computeIfAbsent(gateName, n -> new GateState(n, phase, null));
      gate.approvedAt = at;
      gate.by = by;
      gate.identity = identity;
      gate.comment = comment;
      gate.via = via;
    }
    add(new OperatorAction(at, "approve", gateName, null, comment, by, identity, via, problem == null,
        problem == null ? null : "ignored: " + problem), slot);
  }

  private String approvalProblem(String gateName) {
    if (gateName == null || gateName.isBlank()) {
      return "it names no gate";
    }
    if (ended) {
      return "the migration had ended";
    }
    GateState gate = gates.get(gateName);
    if (gate == null) {
      return "no gate named '" + gateName + "'; gates in this plan: " + String.join(", ", gates.keySet());
    }
    if (gate.approvedAt != null) {
      return "gate '" + gateName + "' was already approved at " + ReportText.time(gate.approvedAt)
          + (gate.by == null ? "" : " by " + gate.by);
    }
    if (!waitingFor.equals("gate:" + gateName)) {
      return "gate '" + gateName + "' was not open" + (gate.before == null ? "" : ": it opens before phase " + gate.before)
          + (phase == null ? "" : " and the migration was in phase " + phase);
    }
    return null;
  }

  private void decide(Instant at, JsonNode body, String identity, String via, OperatorAction[] slot) {
    String stepName = PayloadJson.text(body, "step");
    String action = PayloadJson.text(body, "action");
    String comment = PayloadJson.text(body, "comment");
    String by = PayloadJson.text(body, "by");
    String problem = null;
    if (via.equals("signal")) {
      if (stepName == null || action == null) {
        problem = "it names no step or action";
      } else if (aborting) {
        problem = "the migration was aborting";
      } else if (!waitingFor.equals("decision:" + stepName)) {
        problem = waitingFor.startsWith("decision:")
            ? "step '" + stepName + "' was not waiting for a decision; the blocked step was '" + waitingFor.substring("decision:".length()) + "'"
            : "no step was waiting for a decision";
      }
    }
    if (problem == null && stepName != null) {
      // The decision is taken; a second one before the step moves on is refused.
      waitingFor = "";
      StepState step = steps.get(stepName);
      if (step != null && action != null) {
        switch (action.toLowerCase(Locale.ROOT)) {
          case "retry" -> step.retryDecided = true;
          case "skip" -> step.skipped = true;
          case "abort" -> aborting = true;
          default -> {
          }
        }
      }
    }
    add(new OperatorAction(at, "decide", stepName, action == null ? null : action.toLowerCase(Locale.ROOT), comment, by, identity, via,
        problem == null, problem == null ? null : "ignored: " + problem), slot);
  }

  private void abort(Instant at, JsonNode body, String identity, String via, OperatorAction[] slot) {
    String reason = PayloadJson.text(body, "reason");
    String by = PayloadJson.text(body, "by");
    String problem = null;
    if (via.equals("signal")) {
      if (ended) {
        problem = "the migration had ended";
      } else if (aborting) {
        problem = "the migration was already aborting";
      }
    }
    aborting = true;
    add(new OperatorAction(at, "abort", null, null, reason == null ? "no reason given" : reason, by, identity, via, problem == null,
        problem == null ? null : "ignored: " + problem), slot);
  }

  private void add(OperatorAction action, OperatorAction[] slot) {
    actions.add(action);
    if (slot != null) {
      slot[0] = action;
    }
  }

  private void childStarted(HistoryEvent e) {
    if (e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
      return;
    }
    var a = e.getChildWorkflowExecutionStartedEventAttributes();
    String id = a.getWorkflowExecution().getWorkflowId();
    String runId = a.getWorkflowExecution().getRunId();
    childReports.add(new ChildReport(id, runId, a.getWorkflowType().getName(), time(e), null, "running"));
    List<History> childRuns;
    try {
      childRuns = children.fetch(id, runId);
    } catch (RuntimeException ex) {
      childRuns = List.of();
    }
    if (childRuns.isEmpty()) {
      notes.add("the history of child workflow " + id + " was not read; its steps are not in this report");
      return;
    }
    // The child's steps belong to the migration: read them as if the parent ran them.
    Map<Long, ExecState> parentActivities = new HashMap<>(activities);
    Map<String, WaitState> parentTimers = new HashMap<>(timers);
    for (History run : childRuns) {
      read(run, false);
    }
    activities.clear();
    activities.putAll(parentActivities);
    timers.clear();
    timers.putAll(parentTimers);
  }

  private void childEnded(HistoryEvent e) {
    String id = switch (e.getEventType()) {
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED -> e.getChildWorkflowExecutionCompletedEventAttributes().getWorkflowExecution().getWorkflowId();
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED -> e.getChildWorkflowExecutionFailedEventAttributes().getWorkflowExecution().getWorkflowId();
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED -> e.getChildWorkflowExecutionCanceledEventAttributes().getWorkflowExecution().getWorkflowId();
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED -> e.getChildWorkflowExecutionTerminatedEventAttributes().getWorkflowExecution().getWorkflowId();
      default -> e.getChildWorkflowExecutionTimedOutEventAttributes().getWorkflowExecution().getWorkflowId();
    };
    String how = e.getEventType().name().replace("EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_", "").toLowerCase(Locale.ROOT).replace('_', ' ');
    for (int i = 0; i < childReports.size(); i++) {
      ChildReport c = childReports.get(i);
      if (c.workflowId().equals(id) && c.endedAt() == null) {
        childReports.set(i, new ChildReport(c.workflowId(), c.runId(), c.type(), c.startedAt(), time(e), how));
      }
    }
  }

  private void runEnded(HistoryEvent e) {
    String how;
    String detail = null;
    switch (e.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
        result = PayloadJson.first(e.getWorkflowExecutionCompletedEventAttributes().getResult());
        String resultOutcome = PayloadJson.text(result, "outcome");
        how = resultOutcome == null ? "completed" : resultOutcome.toLowerCase(Locale.ROOT);
        detail = PayloadJson.text(result, "abortReason");
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> how = "continued as new";
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
        var failure = e.getWorkflowExecutionFailedEventAttributes().getFailure();
        var app = failure.getApplicationFailureInfo();
        if (failure.hasApplicationFailureInfo() && MigrationResults.isAbortedOrHeld(app.getType()) && app.getDetails().getPayloadsCount() > 0) {
          // An aborted or held run ends as failed (so the UI's list does not call it completed); its result is the details.
          result = PayloadJson.first(app.getDetails());
          String resultOutcome = PayloadJson.text(result, "outcome");
          how = resultOutcome == null ? "failed" : resultOutcome.toLowerCase(Locale.ROOT);
          detail = PayloadJson.text(result, "abortReason");
        } else {
          how = "failed";
          detail = message(failure);
        }
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
        var t = e.getWorkflowExecutionTerminatedEventAttributes();
        how = "terminated";
        detail = (t.getReason().isEmpty() ? "no reason given" : t.getReason()) + (t.getIdentity().isEmpty() ? "" : " (by " + t.getIdentity() + ")");
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> how = "canceled";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> how = "timed out";
      default -> {
        return;
      }
    }
    Instant at = time(e);
    // A wait the run was still in when it closed ended with it (a bounded wait whose condition came true).
    for (WaitState wait : timers.values()) {
      if (wait.endedAt == null) {
        wait.endedAt = at;
        wait.outcome = "ended";
      }
    }
    ReportRun run = runs.get(runs.size() - 1);
    runs.set(runs.size() - 1, new ReportRun(run.runId(), run.startedAt(), at, how));
    ended = !how.equals("continued as new");
    outcome = ended ? how : "continued as new";
    outcomeDetail = detail;
    endedAt = ended ? at : null;
    if (!ended) {
      return;
    }
    PhaseState last = phases.isEmpty() ? null : phases.get(phases.size() - 1);
    if (last != null && last.endedAt == null) {
      last.endedAt = at;
    }
    if (downtimeStart != null && downtimeSpanLeft == null) {
      downtimeSpanLeft = at;
    }
  }

  // --- the report ------------------------------------------------------------------------------

  private MigrationReport report() {
    Instant lastEvent = endedAt;
    if (outcome.equals("continued as new")) {
      notes.add("the last run read continued as new; the runs after it were not read");
    }
    if (migration == null) {
      notes.add("the start event holds no plan this report can read: the migration's name, steps and gates are unknown");
    }
    Map<String, String> finalStates = new HashMap<>();
    if (result != null) {
      for (JsonNode s : result.path("steps")) {
        finalStates.put(s.path("name").asText(), s.path("state").asText().toLowerCase(Locale.ROOT).replace('_', ' '));
      }
    }
    List<StepReport> stepReports = new ArrayList<>();
    for (StepState s : steps.values()) {
      List<StepExecution> executions = s.executions.stream().map(ExecState::toExecution).toList();
      String state = finalStates.getOrDefault(s.plan.name(), derivedState(s));
      stepReports.add(new StepReport(s.plan.phase(), s.plan.name(), s.plan.kind(), s.plan.place(), s.plan.description(), state, executions));
    }
    List<GateReport> gateReports = new ArrayList<>();
    for (GateState g : gates.values()) {
      String state = g.approvedAt != null ? "approved"
          : g.openedAt == null ? "pending"
          : !ended && waitingFor.equals("gate:" + g.name) ? "open" : "closed without approval";
      Duration waited = g.openedAt == null ? null
          : g.approvedAt != null ? Duration.between(g.openedAt, g.approvedAt)
          : state.equals("open") ? null : null;
      gateReports.add(new GateReport(g.name, g.before, g.description, state, g.openedAt, g.approvedAt, waited, g.by, g.identity,
          g.comment, g.via));
    }
    List<PhaseSpan> phaseSpans = new ArrayList<>();
    for (PhaseState p : phases) {
      Instant start = p.startedAt;
      // Preflight runs before the workflow names its first phase: the phase starts with it.
      for (StepState s : steps.values()) {
        for (ExecState x : s.executions) {
          if (p.name.equals(s.plan.phase()) && !x.undo && x.scheduledAt != null && x.scheduledAt.isBefore(start) && phases.indexOf(p) == 0) {
            start = x.scheduledAt;
          }
        }
      }
      phaseSpans.add(new PhaseSpan(p.name, start, p.endedAt));
    }
    List<WaitReport> waitReports = waits.stream()
        .map(w -> new WaitReport(w.what, w.phase, w.startedAt, w.endedAt, w.outcome)).toList();
    List<PresyncRoundReport> roundReports = rounds.values().stream().map(RoundState::report).toList();
    int checks = Math.max(checkpointMonitorChecks, (int) steps.values().stream()
        .filter(s -> "monitor".equals(s.plan.phase())).flatMap(s -> s.executions.stream()).filter(x -> !x.undo)
        .mapToInt(x -> x.round).max().orElse(0));
    // An export does not name its workflow: the plan's name gives the id cutover starts it with.
    String id = workflowId.isEmpty() && migration != null ? CutoverNames.workflowId(migration) : workflowId;
    return new MigrationReport(id, migration, description, outcome, outcomeDetail, startedAt, lastEvent, startedBy,
        List.copyOf(runs), phaseSpans, stepReports, waitReports, gateReports, List.copyOf(actions),
        notifications.stream().map(n -> n.report(ended)).toList(), downtime(),
        roundReports, checks, List.copyOf(childReports), List.copyOf(notes));
  }

  private String derivedState(StepState s) {
    if (s.skipped) {
      return "skipped";
    }
    ExecState last = null;
    ExecState lastUndo = null;
    for (ExecState x : s.executions) {
      if (x.undo) {
        lastUndo = x;
      } else {
        last = x;
      }
    }
    if (lastUndo != null && lastUndo.outcome.equals("succeeded")) {
      return "undone";
    }
    if (lastUndo != null && !lastUndo.outcome.equals("running") && !lastUndo.outcome.equals("scheduled")) {
      return "undo failed";
    }
    if (last == null) {
      return "pending";
    }
    return switch (last.outcome) {
      case "succeeded" -> "succeeded";
      case "scheduled", "running" -> ended ? "failed" : "running";
      default -> !ended && waitingFor.equals("decision:" + s.plan.name()) ? "blocked" : "failed";
    };
  }

  private DowntimeReport downtime() {
    if (downtimeStart == null) {
      return null;
    }
    Duration measured = null;
    Instant end = downtimeSpanLeft;
    if (result != null && result.path("downtime").isNumber()) {
      measured = duration(result.path("downtime"));
      end = downtimeStart.plus(measured);
    } else if (end != null) {
      measured = Duration.between(downtimeStart, end);
    }
    boolean exceeded = budgetFired || (budget != null && measured != null && measured.compareTo(budget) > 0);
    return new DowntimeReport(downtimeStart, end, measured, budget, exceeded);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static Instant time(HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }

  /**
   * The workflow's own clock when it issued a command: the start of the workflow task that issued
   * it, which is what {@code Workflow.currentTimeMillis()} returned to the code.
   */
  private Instant workflowTime(HistoryEvent e) {
    long completedId = switch (e.getEventType()) {
      case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> e.getActivityTaskScheduledEventAttributes().getWorkflowTaskCompletedEventId();
      case EVENT_TYPE_TIMER_STARTED -> e.getTimerStartedEventAttributes().getWorkflowTaskCompletedEventId();
      case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> e.getUpsertWorkflowSearchAttributesEventAttributes().getWorkflowTaskCompletedEventId();
      default -> 0;
    };
    HistoryEvent completed = byId.get(completedId);
    if (completed == null || !completed.hasWorkflowTaskCompletedEventAttributes()) {
      return time(e);
    }
    HistoryEvent started = byId.get(completed.getWorkflowTaskCompletedEventAttributes().getStartedEventId());
    return started == null ? time(e) : time(started);
  }

  /** A duration as Jackson writes it in payloads: seconds as a decimal number, or ISO-8601 text. */
  private static Duration duration(JsonNode node) {
    if (node.isNumber()) {
      java.math.BigDecimal seconds = node.decimalValue();
      return Duration.ofSeconds(seconds.longValue(), seconds.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
    }
    if (node.isTextual()) {
      try {
        return Duration.parse(node.asText());
      } catch (RuntimeException e) {
        return null;
      }
    }
    return null;
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }

  // --- mutable state while reading --------------------------------------------------------------

  private record PlanStep(String phase, String name, String kind, String place, String description) {}

  private static final class StepState {
    final PlanStep plan;
    final List<ExecState> executions = new ArrayList<>();
    int lastRound = -1;
    int lastTry;
    boolean retryDecided;
    boolean skipped;

    StepState(PlanStep plan) {
      this.plan = plan;
    }
  }

  private static final class ExecState {
    final boolean undo;
    final int round;
    final String activity;
    final Instant scheduledAt;
    /** Temporal's id of the activity, unique within its run; {@code null} for a wait. */
    String activityId;
    int attemptOfStep;
    Instant startedAt;
    Instant endedAt;
    int attempts;
    String outcome = "scheduled";
    String error;
    String errorType;
    String previousAttemptError;
    Integer exitCode;
    String outputTail;
    String detail;
    JsonNode rsync;
    /** Errors of attempts before the last, by attempt. */
    final java.util.TreeMap<Integer, AttemptFailure> earlier = new java.util.TreeMap<>();

    ExecState(boolean undo, int round, String activity, Instant scheduledAt) {
      this.undo = undo;
      this.round = round;
      this.activity = activity;
      this.scheduledAt = scheduledAt;
    }

    /**
     * The errors of earlier attempts a failure carries as its last detail (the worker adds them,
     * {@code earlierAttemptErrors}); those the history holds itself win.
     */
    void carried(Failure failure) {
      Failure root = failure;
      while (!root.hasApplicationFailureInfo() && root.hasCause()) {
        root = root.getCause();
      }
      if (!root.hasApplicationFailureInfo() || root.getApplicationFailureInfo().getDetails().getPayloadsCount() == 0) {
        return;
      }
      var details = root.getApplicationFailureInfo().getDetails();
      JsonNode last = PayloadJson.of(details.getPayloads(details.getPayloadsCount() - 1));
      for (JsonNode e : last.path("earlierAttemptErrors")) {
        int attempt = e.path("attempt").asInt();
        if (attempt > 0 && (attempts == 0 || attempt < attempts)) {
          earlier.putIfAbsent(attempt, new AttemptFailure(attempt, e.path("error").asText(""),
              e.path("type").isTextual() ? e.path("type").asText() : null));
        }
      }
    }

    StepExecution toExecution() {
      String shown = outcome.equals("scheduled") && startedAt != null ? "running" : outcome;
      List<AttemptFailure> before = earlier.values().stream().filter(f -> f.attempt() < attempts).toList();
      return new StepExecution(undo, round, attemptOfStep, activity, scheduledAt, startedAt, endedAt, attempts, shown, error, errorType,
          previousAttemptError, exitCode, outputTail, detail, before);
    }
  }

  private static final class NotifyState {
    final String event;
    final String title;
    final String phase;
    final Instant sentAt;
    Instant endedAt;
    String outcome = "sending";
    int attempts;
    String detail;

    NotifyState(String event, String title, String phase, Instant sentAt) {
      this.event = event;
      this.title = title;
      this.phase = phase;
      this.sentAt = sentAt;
    }

    /** The result lists each channel's delivery: the channels that took it, and why the others did not. */
    void delivered(Instant at, JsonNode result) {
      endedAt = at;
      List<String> took = new ArrayList<>();
      List<String> refused = new ArrayList<>();
      for (JsonNode d : result.path("deliveries")) {
        String channel = d.path("channel").asText("channel").toLowerCase(Locale.ROOT);
        if (d.path("delivered").asBoolean(false)) {
          took.add(channel);
        } else {
          String error = PayloadJson.text(d, "error");
          refused.add(channel + (error == null ? "" : " (" + error + ")"));
        }
      }
      outcome = refused.isEmpty() ? "delivered" : took.isEmpty() ? "not delivered" : "partly delivered";
      String by = took.isEmpty() ? "" : "by " + String.join(" and ", took);
      String not = refused.isEmpty() ? "" : "not by " + String.join(" and ", refused);
      detail = by.isEmpty() && not.isEmpty() ? null : by.isEmpty() ? not : not.isEmpty() ? by : by + "; " + not;
    }

    NotificationReport report(boolean runEnded) {
      // A notification still in flight when the run closed was cut off with it.
      String shown = outcome.equals("sending") && runEnded ? "not delivered" : outcome;
      String why = outcome.equals("sending") && runEnded ? "the run ended while it was being sent" : detail;
      return new NotificationReport(event, title, phase, sentAt, endedAt, shown, attempts, why);
    }
  }

  private static final class GateState {
    final String name;
    final String before;
    final String description;
    Instant openedAt;
    Instant approvedAt;
    String by;
    String identity;
    String comment;
    String via;

    GateState(String name, String before, String description) {
      this.name = name;
      this.before = before;
      this.description = description;
    }
  }

  private static final class WaitState {
    final String what;
    final String phase;
    final Instant startedAt;
    Instant endedAt;
    String outcome = "waiting";
    ExecState step;

    WaitState(String what, String phase, Instant startedAt) {
      this.what = what;
      this.phase = phase;
      this.startedAt = startedAt;
    }
  }

  private static final class PhaseState {
    final String name;
    final Instant startedAt;
    Instant endedAt;

    PhaseState(String name, Instant startedAt) {
      this.name = name;
      this.startedAt = startedAt;
    }
  }

  private static final class RoundState {
    final int round;
    final List<ExecState> executions = new ArrayList<>();

    RoundState(int round) {
      this.round = round;
    }

    void add(ExecState exec) {
      executions.add(exec);
    }

    PresyncRoundReport report() {
      Instant start = executions.stream().map(x -> x.scheduledAt).min(Instant::compareTo).orElse(null);
      Instant end = executions.stream().allMatch(x -> x.endedAt != null)
          ? executions.stream().map(x -> x.endedAt).max(Instant::compareTo).orElse(null) : null;
      List<JsonNode> syncs = executions.stream().filter(x -> x.rsync != null).map(x -> x.rsync).toList();
      if (syncs.isEmpty()) {
        return new PresyncRoundReport(round, start, end, null, null, null, null);
      }
      return new PresyncRoundReport(round, start, end,
          syncs.stream().mapToLong(n -> n.path("changedFiles").asLong()).sum(),
          syncs.stream().mapToLong(n -> n.path("filesTransferred").asLong()).sum(),
          syncs.stream().mapToLong(n -> n.path("bytesTransferred").asLong()).sum(),
          syncs.stream().mapToLong(n -> n.path("durationMillis").asLong()).sum());
    }
  }
}
