package dev.cutover.workflow;

import dev.cutover.plan.OnFailure;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Retry;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepSpec;
import dev.cutover.plan.load.DurationText;
import dev.cutover.preflight.Preflight;
import dev.cutover.preflight.PreflightActivities;
import dev.cutover.preflight.PreflightPlan;
import dev.cutover.preflight.PreflightReport;
import dev.cutover.preflight.PreflightRequest;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.FinishWork;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import dev.cutover.steps.StepKinds;
import dev.cutover.steps.run.RunResult;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Runs one step: the activity with its retries, then onFailure, waiting for a decision if asked.
 */
final class StepExecutor {
  private static final Logger log = Workflow.getLogger(StepExecutor.class);

  /**
   * Used when a step names no timeout: long enough for most commands, short enough to notice a
   * hang.
   */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /**
   * A worker that dies mid-step is noticed within this time and the attempt retried; the SDK also
   * paces heartbeats to 80% of it, which bounds how long an abort takes to reach a running command.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Room for the activity to kill a timed-out command and report its output before Temporal gives
   * up on it.
   */
  static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(30);

  static final int DEFAULT_ATTEMPTS = 3;
  static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofSeconds(5);
  static final double DEFAULT_BACKOFF = 2.0;
  static final Duration DEFAULT_MAX_INTERVAL = Duration.ofMinutes(5);

  /** Bounds how much output one failure puts in status and history. */
  static final int MAX_ERROR_CHARS = 2000;

  /** Preflight connects to every host once and runs a few short commands on each. */
  static final Duration PREFLIGHT_TIMEOUT = Duration.ofMinutes(5);

  /** A host that is down takes the whole ssh connect timeout before preflight can report it. */
  static final Duration PREFLIGHT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);

  /** Version marker of the checks just before the steps that need what earlier steps make. */
  static final String PREFLIGHT_WHEN_MADE_CHANGE = "preflight-when-made";

  /** Version marker of parallel groups: recorded by the runs whose plan runs one. */
  static final String PARALLEL_GROUPS_CHANGE = "parallel-groups";

  private final Plan plan;
  private final MigrationRecord record;
  private final AbortState abort;
  private final DurableWait waits;
  private final DecisionWait decisions;
  private final String workflowId;
  private final Notifier notifier;
  private CancellationScope running;

  /**
   * The executors of the branches of the parallel group in flight, one per running branch, each
   * with its own scope, try and history fact; empty outside a group.
   */
  private final java.util.List<StepExecutor> lanes = new java.util.ArrayList<>();

  /** The try of the step in flight: 1, or more after an operator decided retry. */
  private int currentTry = 1;

  /**
   * What preflight checks at the start, and just before the steps that need what earlier steps
   * make.
   */
  private final PreflightPlan checks;

  /**
   * Steps whose check just before them passed in this run (a retry of the step itself does not
   * check again).
   */
  private final java.util.Set<String> checkedBefore;

  /**
   * Which step the activities scheduled now belong to: their header in the history, for the report.
   */
  private StepFact fact;

  StepExecutor(
      Plan plan,
      MigrationRecord record,
      AbortState abort,
      DurableWait waits,
      DecisionWait decisions,
      String workflowId,
      Notifier notifier) {
    this.plan = plan;
    this.record = record;
    this.abort = abort;
    this.waits = waits;
    this.decisions = decisions;
    this.workflowId = workflowId;
    this.notifier = notifier;
    this.checks = Preflight.plan(plan);
    this.checkedBefore = new java.util.HashSet<>();
  }

  /** An executor for one branch of a group: the run's state shared, the step in flight its own. */
  private StepExecutor(StepExecutor run) {
    this.plan = run.plan;
    this.record = run.record;
    this.abort = run.abort;
    this.waits = run.waits;
    this.decisions = run.decisions;
    this.workflowId = run.workflowId;
    this.notifier = run.notifier;
    this.checks = run.checks;
    this.checkedBefore = run.checkedBefore;
  }

  /** Cancels the step in flight, if any, so an abort does not wait for a long command. */
  void cancelRunning() {
    if (running != null) {
      running.cancel("migration aborted");
    }
    for (StepExecutor lane : java.util.List.copyOf(lanes)) {
      lane.cancelRunning();
    }
  }

  /**
   * Runs a step of the plan until it succeeds, is skipped or continued past; throws {@link
   * Aborted}.
   */
  void run(PhaseName phase, Step step, int round) {
    if (step.isGroup()) {
      runGroup(phase, step, round);
      return;
    }
    PreflightRequest before = checks.beforeStep().get(step.name());
    if (before == null || checkedBefore.contains(step.name()) || !checksWhenMade()) {
      runWith(phase, step, round, () -> execute(phase, step));
      return;
    }
    // What an earlier step made is checked first, in the step's own try: a problem blocks the step,
    // and retry checks again.
    runWith(
        phase,
        step,
        round,
        () -> {
          Outcome checked =
              checkPreflight(
                  phase,
                  step,
                  before,
                  "preflight before " + step.name() + ": what earlier steps made");
          if (!checked.succeeded()) {
            return checked;
          }
          checkedBefore.add(step.name());
          return execute(phase, step);
        });
  }

  /**
   * Whether this run checks what an earlier step makes just before the step that needs it (asked
   * only of plans that have such a need, so other runs record no marker); runs begun before that
   * checked everything at the start.
   */
  private boolean checksWhenMade() {
    return Workflow.getVersion(PREFLIGHT_WHEN_MADE_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * Preflight, as a step named {@link Preflight#STEP} at the head of the run: when it finds
   * problems it blocks like any step, so the operator fixes the hosts and decides retry (or skip,
   * or abort).
   */
  void preflight() {
    // Not a step of the plan and of no kind: it runs the preflight activity below, never a handler.
    Step step = new Step(Preflight.STEP, null, null, null, null, null, null, null, null);
    record.putFirst(
        StepStatus.pending(
            PhaseName.PREPARE.yamlName(),
            Preflight.STEP,
            Preflight.STEP,
            null,
            "hosts reachable with verified keys, tools present, room for the copies"));
    PreflightRequest request =
        !checks.beforeStep().isEmpty() && checksWhenMade()
            ? checks.atStart()
            : Preflight.request(plan);
    runWith(
        PhaseName.PREPARE,
        step,
        0,
        () ->
            checkPreflight(
                PhaseName.PREPARE,
                step,
                request,
                "preflight: "
                    + request.hosts().size()
                    + " hosts, "
                    + request.copies().size()
                    + " copies"
                    + (request.databases().isEmpty()
                        ? ""
                        : ", " + request.databases().size() + " databases")));
  }

  /** One preflight activity, cancellable by an abort; its report is the outcome's output. */
  private Outcome checkPreflight(
      PhaseName phase, Step step, PreflightRequest request, String summary) {
    Duration timeout = PREFLIGHT_TIMEOUT;
    ActivityOptions preflightOptions = options(phase, step, timeout);
    PreflightActivities activities =
        Workflow.newActivityStub(
            PreflightActivities.class,
            preflightOptions.toBuilder()
                .setHeartbeatTimeout(PREFLIGHT_HEARTBEAT_TIMEOUT)
                .setSummary(summary)
                .build());
    PreflightReport[] report = new PreflightReport[1];
    running = Workflow.newCancellationScope(() -> report[0] = activities.check(request));
    try {
      running.run();
      return Outcome.success(null, report[0].text());
    } catch (ActivityFailure failure) {
      return describe(failure, timeout, preflightOptions);
    } finally {
      running = null;
    }
  }

  private void runWith(
      PhaseName phase, Step step, int round, java.util.function.Supplier<Outcome> attemptOnce) {
    abort.throwIfRequested();
    if (step.isPointOfNoReturn()) {
      abort.passPointOfNoReturn();
      record.note("passed the point of no return at step " + step.name(), null);
    }
    int tries = 0;
    int activityAttempts = 0;
    while (true) {
      tries++;
      record.stepStarted(step.name());
      record.update(step.name(), s -> s.started(DurableWait.now(), round));
      if (record.waitingFor().isEmpty()) { // a blocked branch's decision says more
        Workflow.setCurrentDetails(
            OperatorHints.runningDetails(phase.yamlName(), step.name(), step.description()));
      }
      currentTry = tries;
      fact =
          StepFact.run(
              phase.yamlName(), step.name(), tries, round, step.name().equals(Preflight.STEP));
      Outcome outcome = attempt(attemptOnce);
      // TRY counts Temporal's attempts over the operator's retries, where the outcome knows them.
      activityAttempts += Math.max(1, outcome.activityAttempts());
      int attempt = activityAttempts;
      if (outcome.succeeded()) {
        record.update(
            step.name(),
            s ->
                s.ended(
                    StepState.SUCCEEDED,
                    DurableWait.now(),
                    attempt,
                    outcome.exitCode(),
                    outcome.outputTail(),
                    null,
                    null));
        if (step.undo() != null) {
          record.addUndo(phase, new UndoEntry(phase.yamlName(), step.name(), step.undo()));
        } else if (outcome.builtInUndo() != null
            && (!phase.repeats() || undoOnceWhenRepeated(step))) {
          record.addUndo(
              phase, new UndoEntry(phase.yamlName(), step.name(), null, outcome.builtInUndo()));
        }
        if (outcome.sync() != null) {
          record.addSync(outcome.sync());
        }
        record.stepLeft(step.name());
        return;
      }
      if (outcome.canceled() || abort.requested()) {
        record.update(
            step.name(),
            s ->
                s.ended(
                    StepState.FAILED,
                    DurableWait.now(),
                    attempt,
                    outcome.exitCode(),
                    outcome.outputTail(),
                    "canceled by abort",
                    "Canceled"));
        // A command cut short may have half-applied; its undo is idempotent, so run it too.
        if (step.undo() != null) {
          record.addUndo(phase, new UndoEntry(phase.yamlName(), step.name(), step.undo()));
        } else if (outcome.canceled()
            && (!phase.repeats() || undoOnceWhenRepeated(step))
            && step.kind() != null) {
          BuiltInUndo cutShort = StepKinds.handler(step.kind()).undoIfCutShort(step, step.spec());
          if (cutShort != null) {
            record.addUndo(phase, new UndoEntry(phase.yamlName(), step.name(), null, cutShort));
          }
        }
        throw new Aborted();
      }
      log.warn("step {} failed: {}", step.name(), outcome.error());
      OnFailure policy = step.onFailureOrDefault();
      if (policy == OnFailure.CONTINUE) {
        record.update(
            step.name(),
            s ->
                s.ended(
                    StepState.FAILED,
                    DurableWait.now(),
                    attempt,
                    outcome.exitCode(),
                    outcome.outputTail(),
                    outcome.error(),
                    outcome.errorType()));
        record.note("step " + step.name() + " failed and the plan says continue", outcome.error());
        undoWhatAFailedStepMayHaveDone(phase, step);
        record.stepLeft(step.name());
        return;
      }
      if (policy == OnFailure.ABORT) {
        record.update(
            step.name(),
            s ->
                s.ended(
                    StepState.FAILED,
                    DurableWait.now(),
                    attempt,
                    outcome.exitCode(),
                    outcome.outputTail(),
                    outcome.error(),
                    outcome.errorType()));
        abort.request(
            "step " + step.name() + " failed and the plan says abort: " + outcome.error());
        undoWhatAFailedStepMayHaveDone(phase, step);
        throw new Aborted();
      }
      record.update(
          step.name(),
          s ->
              s.ended(
                  StepState.BLOCKED,
                  DurableWait.now(),
                  attempt,
                  outcome.exitCode(),
                  outcome.outputTail(),
                  outcome.error(),
                  outcome.errorType()));
      DecisionAction action = decisions.await(step, outcome.error());
      if (action == DecisionAction.SKIP) {
        record.update(step.name(), s -> s.withState(StepState.SKIPPED));
        undoWhatAFailedStepMayHaveDone(phase, step);
        record.stepLeft(step.name());
        return;
      }
      if (action == DecisionAction.ABORT) {
        undoWhatAFailedStepMayHaveDone(phase, step);
        throw new Aborted();
      }
    }
  }

  /**
   * A parallel group: its branches run side by side, at most the group's limit at once, each
   * branch's steps in order through an executor of its own (retries, onFailure, decisions and undo
   * as for any step). The group ends when every branch has ended; an abort, or a branch that
   * aborts, cancels the others, and the rollback undoes what every branch finished, last finished
   * first.
   */
  private void runGroup(PhaseName phase, Step group, int round) {
    abort.throwIfRequested();
    // Asked only when a group runs, so plans without one record no marker. No run recorded before
    // groups existed can hold one, so the version only marks the histories that do.
    Workflow.getVersion(PARALLEL_GROUPS_CHANGE, Workflow.DEFAULT_VERSION, 1);
    if (group.isPointOfNoReturn()) {
      abort.passPointOfNoReturn();
      record.note("passed the point of no return at step " + group.name(), null);
    }
    java.util.List<dev.cutover.plan.Branch> branches = group.branches();
    int limit = Math.max(1, group.spec().branchesAtOnce());
    record.update(group.name(), s -> s.started(DurableWait.now(), round));
    int[] active = {0};
    RuntimeException[] stopped = {null};
    java.util.List<io.temporal.workflow.Promise<Void>> ends = new java.util.ArrayList<>();
    for (dev.cutover.plan.Branch branch : branches) {
      StepExecutor lane = new StepExecutor(this);
      ends.add(
          io.temporal.workflow.Async.procedure(
              () -> {
                Workflow.await(() -> active[0] < limit || stopped[0] != null || abort.requested());
                if (stopped[0] != null || abort.requested()) {
                  return; // never started: nothing of it to undo
                }
                active[0]++;
                lanes.add(lane);
                try {
                  for (Step step : branch.stepsOrEmpty()) {
                    lane.run(phase, step, round);
                  }
                } catch (RuntimeException failed) {
                  // Aborted (or a time the workflow cannot hold): the other branches stop too.
                  if (stopped[0] == null) {
                    stopped[0] = failed;
                  }
                  if (!(failed instanceof Aborted) && !(failed instanceof CanceledFailure)) {
                    // A branch blocked for a decision or on a timer ends only on an abort.
                    abort.requestUnlessAborting(
                        "step " + group.name() + " stopped: " + failed.getMessage());
                  }
                  cancelRunning();
                } finally {
                  lanes.remove(lane);
                  active[0]--;
                }
              }));
    }
    io.temporal.workflow.Promise.allOf(ends).get();
    if (stopped[0] != null) {
      throw stopped[0];
    }
    abort.throwIfRequested();
    record.update(
        group.name(),
        s ->
            s.ended(
                StepState.SUCCEEDED,
                DurableWait.now(),
                1,
                null,
                branches.size() + " branches ended",
                null,
                null));
  }

  /**
   * One try; a duration the step asks for that Temporal cannot hold fails it (non-retryable), not
   * the workflow task.
   */
  private static Outcome attempt(java.util.function.Supplier<Outcome> attemptOnce) {
    try {
      return attemptOnce.get();
    } catch (TemporalLimits.BeyondLimits beyond) {
      return Outcome.failure(beyond.getMessage(), CutoverErrors.INVALID_CONFIG, null, null);
    }
  }

  /**
   * A failed step of a kind that may have changed something before it failed keeps its cut-short
   * undo, so an abort puts back a record or a site the failed step may have left half switched.
   */
  private void undoWhatAFailedStepMayHaveDone(PhaseName phase, Step step) {
    StepHandler<StepSpec> handler = step.kind() == null ? null : StepKinds.handler(step.kind());
    if (step.undo() != null
        || handler == null
        || !handler.undoWhenFailed()
        || phase.repeats()
        || record.hasUndoFor(step.name())) {
      return;
    }
    BuiltInUndo cutShort = handler.undoIfCutShort(step, step.spec());
    if (cutShort != null) {
      record.addUndo(phase, new UndoEntry(phase.yamlName(), step.name(), null, cutShort));
    }
  }

  /**
   * Whether a step of a repeating phase records its built-in undo, once for all rounds: only kinds
   * whose leftovers do harm (a replication slot keeps WAL on the old server until its disk is
   * full).
   */
  private boolean undoOnceWhenRepeated(Step step) {
    StepHandler<StepSpec> handler = step.kind() == null ? null : StepKinds.handler(step.kind());
    return handler != null && handler.undoOnceWhenRepeated() && !record.hasUndoFor(step.name());
  }

  /**
   * Runs an undo; a failure is recorded and the rollback goes on, since nobody should be stuck
   * mid-rollback.
   */
  boolean runUndo(UndoEntry entry) {
    String name = Step.undoName(entry.forStep());
    Workflow.setCurrentDetails("Rolling back: undo of step `" + entry.forStep() + "`");
    PhaseName phase = PhaseName.fromYaml(entry.phase());
    fact = StepFact.undo(entry.phase(), entry.forStep());
    Outcome outcome;
    try {
      if (entry.undo() != null) {
        outcome = execute(phase, entry.undo().asUndo(name));
      } else {
        Step original =
            plan.phases().stepsWithNested(phase).stream()
                .filter(s -> s.name().equals(entry.forStep()))
                .findFirst()
                .orElseThrow();
        currentTry = 1;
        outcome =
            handled(
                phase,
                original.asUndo(name),
                call ->
                    StepKinds.handler(original.kind())
                        .undo(call, original.spec(), entry.builtIn()));
      }
    } catch (Aborted alreadyAborting) {
      outcome = Outcome.failure("interrupted", "Aborted", null, null);
    } catch (TemporalLimits.BeyondLimits beyond) {
      outcome = Outcome.failure(beyond.getMessage(), CutoverErrors.INVALID_CONFIG, null, null);
    }
    if (outcome.succeeded()) {
      record.update(entry.forStep(), s -> s.withState(StepState.UNDONE));
      return true;
    }
    record.update(entry.forStep(), s -> s.withState(StepState.UNDO_FAILED));
    record.note("undo of " + entry.forStep() + " failed", outcome.error());
    return false;
  }

  /**
   * The finish phase ends with the work the kinds' earlier steps left (dns-ttl: put back the TTLs
   * it lowered), each as a step of its own, so status and the history show it like any other.
   */
  void finishWork(PhaseName phase) {
    for (StepHandler<StepSpec> handler : StepKinds.handlers()) {
      for (FinishWork work : handler.finishWork(plan, record.dns)) {
        Step step = work.step();
        if (!record.hasStep(step.name())) {
          record.putBefore(
              null,
              StepStatus.pending(
                  phase.yamlName(),
                  step.name(),
                  step.kind().yamlName(),
                  step.placeText(),
                  work.description()));
        }
        runWith(phase, step, 0, () -> handled(phase, step, work.work()));
      }
    }
  }

  private Outcome execute(PhaseName phase, Step step) {
    StepHandler<StepSpec> handler = StepKinds.handler(step.kind());
    handler.beforeRun(waits, record.dns, step, step.spec());
    if (!handler.runsInScope()) {
      HistoryFacts.waitStep(
          fact); // a timer carries no header: the fact says which step it waits for
      StepDone done = handler.run(call(phase, step, null), step.spec());
      return Outcome.success(done.exitCode(), done.summary());
    }
    return handled(phase, step, call -> handler.run(call, step.spec()));
  }

  /**
   * Runs a kind's handler inside the cancellable scope an abort cuts short, as a run command does.
   */
  private Outcome handled(
      PhaseName phase, Step step, java.util.function.Function<StepCall, StepDone> work) {
    Duration timeout = timeoutOf(step);
    StepCall call = call(phase, step, options(phase, step, timeout));
    StepDone[] done = new StepDone[1];
    running = Workflow.newCancellationScope(() -> done[0] = work.apply(call));
    try {
      running.run();
      return new Outcome(
          true,
          false,
          done[0].exitCode(),
          done[0].summary(),
          null,
          null,
          done[0].undo(),
          done[0].sync(),
          0);
    } catch (ActivityFailure failure) {
      return describe(failure, timeout, call.options());
    } finally {
      running = null;
    }
  }

  private StepCall call(PhaseName phase, Step step, ActivityOptions options) {
    return new StepCall(
        plan, phase, step, runKey(), options, currentTry, record.dns, timeoutOf(step), waits);
  }

  private static Duration timeoutOf(Step step) {
    return step.timeout() != null ? step.timeout() : DEFAULT_TIMEOUT;
  }

  /**
   * What activities name the copies they save on hosts by: the migration and the first run of this
   * workflow (the same across continue-as-new), so a migration started again after an abort has its
   * own copies and never restores from an earlier run's.
   */
  private String runKey() {
    String first = Workflow.getInfo().getFirstExecutionRunId();
    // The end of a run id is its random part (the start of a v7 id is a timestamp).
    String id = first.replace("-", "");
    return plan.migration() + "-" + id.substring(Math.max(0, id.length() - 8));
  }

  private ActivityOptions options(PhaseName phase, Step step, Duration timeout) {
    Retry retry = step.retry();
    RetryOptions retryOptions =
        RetryOptions.newBuilder()
            .setMaximumAttempts(
                retry != null && retry.maxAttempts() != null
                    ? retry.maxAttempts()
                    : DEFAULT_ATTEMPTS)
            .setInitialInterval(
                retry != null && retry.initialInterval() != null
                    ? retry.initialInterval()
                    : DEFAULT_INITIAL_INTERVAL)
            .setBackoffCoefficient(
                retry != null && retry.backoff() != null ? retry.backoff() : DEFAULT_BACKOFF)
            .setMaximumInterval(
                retry != null && retry.maxInterval() != null
                    ? retry.maxInterval()
                    : DEFAULT_MAX_INTERVAL)
            .setDoNotRetry(CutoverErrors.NON_RETRYABLE.toArray(new String[0]))
            .build();
    String place = step.spec() == null ? null : step.spec().activityPlace();
    String summary =
        (phase == null ? "" : phase.yamlName() + " / ")
            + step.name()
            + ": "
            + (step.kind() == null ? step.name() : step.kind().yamlName())
            + (place != null ? " on " + place : "")
            + " (timeout "
            + DurationText.format(timeout)
            + ")";
    TemporalLimits.check(timeout, "the timeout of step " + step.name());
    if (retry != null) {
      TemporalLimits.check(retry.initialInterval(), "the retry interval of step " + step.name());
      TemporalLimits.check(
          retry.maxInterval(), "the longest retry interval of step " + step.name());
    }
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(timeout.plus(TIMEOUT_MARGIN))
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setRetryOptions(retryOptions)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setSummary(summary)
        .setContextPropagators(fact == null ? null : java.util.List.of(new StepFactHeader(fact)))
        .build();
  }

  /**
   * The failure as an outcome, with how many times Temporal ran the activity when the failure says
   * (all its attempts were spent); the workflow sees no other attempt count.
   */
  private static Outcome describe(
      ActivityFailure failure, Duration timeout, ActivityOptions options) {
    Outcome outcome = describeOnly(failure, timeout);
    if (failure.getRetryState()
            == io.temporal.api.enums.v1.RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED
        && options.getRetryOptions() != null
        && options.getRetryOptions().getMaximumAttempts() > 0) {
      return outcome.withAttempts(options.getRetryOptions().getMaximumAttempts());
    }
    return outcome;
  }

  private static Outcome describeOnly(ActivityFailure failure, Duration timeout) {
    Throwable cause = failure.getCause();
    if (cause instanceof CanceledFailure) {
      return Outcome.canceledOutcome();
    }
    if (cause instanceof ApplicationFailure app) {
      Integer code = null;
      String tail = null;
      if (app.getDetails() != null && app.getDetails().getSize() > 0) {
        try {
          RunResult r = app.getDetails().get(RunResult.class);
          if (r != null) {
            code = r.exitCode();
            tail = r.outputTail();
          }
        } catch (RuntimeException ignored) {
          // details of another shape: the message alone says enough
        }
      }
      return Outcome.failure(clip(app.getOriginalMessage()), app.getType(), code, tail);
    }
    if (cause instanceof TimeoutFailure t) {
      return Outcome.failure(
          "activity timed out ("
              + t.getTimeoutType()
              + "); step timeout "
              + DurationText.format(timeout),
          "Timeout",
          null,
          null);
    }
    return Outcome.failure(
        clip(cause == null ? failure.getMessage() : cause.getMessage()),
        cause == null ? "Unknown" : cause.getClass().getSimpleName(),
        null,
        null);
  }

  private static String clip(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
  }

  /**
   * @param activityAttempts how many times Temporal ran the activity, when known; 0 when not
   *     (counted as 1)
   */
  private record Outcome(
      boolean succeeded,
      boolean canceled,
      Integer exitCode,
      String outputTail,
      String error,
      String errorType,
      BuiltInUndo builtInUndo,
      dev.cutover.steps.rsync.RsyncResult sync,
      int activityAttempts) {
    static Outcome success(Integer code, String tail) {
      return new Outcome(true, false, code, tail, null, null, null, null, 0);
    }

    static Outcome failure(String error, String type, Integer code, String tail) {
      return new Outcome(false, false, code, tail, error, type, null, null, 0);
    }

    Outcome withAttempts(int attempts) {
      return new Outcome(
          succeeded, canceled, exitCode, outputTail, error, errorType, builtInUndo, sync, attempts);
    }

    static Outcome canceledOutcome() {
      return new Outcome(false, true, null, null, "canceled", "Canceled", null, null, 0);
    }
  }
}
