package dev.cutover.workflow;

import dev.cutover.plan.MonitorPhase;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.PresyncPhase;
import dev.cutover.plan.Step;
import dev.cutover.plan.Window;
import dev.cutover.preflight.Preflight;
import dev.cutover.steps.StepKinds;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * Walks the plan's phases in order; see DESIGN.md "Workflow semantics". {@link #run} is the
 * runbook; the operator's waits ({@link GateWait}, {@link DecisionWait}), the {@link DowntimeClock}
 * and the {@link AbortState} each keep their own part of the run's state, and {@link
 * MigrationRecord} the rest.
 */
public class MigrationWorkflowImpl implements MigrationWorkflow {
  private static final Logger log = Workflow.getLogger(MigrationWorkflowImpl.class);

  /**
   * Continue-as-new past this many events: far below Temporal's limits, and keeps replays quick.
   */
  static final int DEFAULT_HISTORY_LIMIT = 5_000;

  private final Plan plan;
  private final Checkpoint checkpoint;
  private final int historyLimit;
  private final AbortState abort;
  private final MigrationRecord record;
  private final DurableWait waits;
  private final GateWait gates;
  private final DecisionWait decisions;
  private final StepExecutor steps;
  private final DowntimeClock clock;
  private final Notifier notifier;
  private final OperatorMessages messages;
  private final String workflowId;
  private final SignedStart start;

  /** Temporal's cancellation (Request Cancellation in the UI) started the rollback. */
  private boolean cancelRequested;

  /**
   * Version marker of preflight, added after v1 histories were recorded: runs begun before it skip
   * it.
   */
  static final String PREFLIGHT_CHANGE = "preflight";

  /**
   * Version marker of bounded state (after v4): a run that did not complete ends as failed, with
   * its result as the failure's details, and a repeating phase keeps one undo per step. Runs begun
   * before it end and roll back as they always did.
   */
  static final String BOUNDED_STATE_CHANGE = "bounded-state";

  /**
   * The failure type of a run that was aborted and rolled back; its details are the {@link
   * MigrationResult}.
   */
  public static final String MIGRATION_ABORTED = "MigrationAborted";

  /**
   * The failure type of a run aborted past the point of no return, stopped and held; details as
   * above.
   */
  public static final String MIGRATION_HELD = "MigrationHeld";

  @WorkflowInit
  public MigrationWorkflowImpl(MigrationInput input) {
    this.plan = input.plan();
    this.checkpoint = input.checkpoint();
    this.start = input.start();
    this.historyLimit = input.historyLimit() != null ? input.historyLimit() : DEFAULT_HISTORY_LIMIT;
    this.workflowId = Workflow.getInfo().getWorkflowId();
    this.abort = new AbortState(checkpoint);
    this.record = new MigrationRecord(plan, checkpoint, abort);
    this.notifier = new Notifier(plan, record, workflowId);
    this.waits = new DurableWait(record, abort);
    this.gates = new GateWait(plan, checkpoint, record, abort, notifier, workflowId);
    this.decisions = new DecisionWait(checkpoint, record, abort, notifier, workflowId);
    this.steps = new StepExecutor(plan, record, abort, waits, decisions, workflowId, notifier);
    this.clock =
        new DowntimeClock(plan, checkpoint, record, abort, notifier, gates, steps::cancelRunning);
    this.messages = new OperatorMessages(record, abort, gates, decisions, log);
    // A misspelled signal name would otherwise wait unseen in the SDK's buffer: say so in status.
    Workflow.registerListener((DynamicSignalHandler) (name, args) -> messages.unknownSignal(name));
  }

  /**
   * The runbook: preflight, then each phase behind its gates, the downtime clocked; any abort rolls
   * back.
   */
  @Override
  public MigrationResult run(MigrationInput input) {
    record.beganBounded(
        Workflow.getVersion(BOUNDED_STATE_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1);
    HistoryFacts.on(); // decided once per run, before any signal or step records a fact
    FleetLink.begin();
    gates.beginPolicies(start, checkpoint != null);
    Workflow.upsertTypedSearchAttributes(
        CutoverSearchAttributes.MIGRATION.valueSet(plan.migration()));
    MigrationResult result;
    try {
      preflightIfNew();
      for (PhaseName phase : phasesLeft()) {
        enter(phase);
        if (!resumes(phase)) {
          gates.passBefore(phase);
        }
        if (clock.opensSpan(phase)) {
          awaitWindow();
        }
        runPhase(phase);
        clock.afterPhase(phase);
      }
      abort.throwIfRequested(); // accepted in the same moment the last step ended: keep the promise
      // made
      StepKinds.handlers()
          .forEach(
              kind ->
                  kind.afterCompletion(plan, record::note)); // put: its backups are not needed now
      result = finish(MigrationState.COMPLETED);
    } catch (Aborted aborted) {
      result = detached(this::rollback);
    } catch (TemporalLimits.BeyondLimits
        | ArithmeticException
        | java.time.DateTimeException beyond) {
      result = detached(() -> rollbackBeyondLimits(beyond));
    } catch (CanceledFailure canceled) {
      result = detached(this::rollbackCanceled);
    }
    return failedUnlessCompleted(result);
  }

  /**
   * Since bounded state, a run that did not complete ends as failed, so the Temporal UI's list
   * shows a rolled-back or held migration as failed, not completed. (A run canceled in the UI still
   * closes as canceled, as the SDK does after a cancellation.)
   */
  private MigrationResult failedUnlessCompleted(MigrationResult result) {
    if (record.bounded() && result.outcome() != MigrationState.COMPLETED && !cancelRequested) {
      String type = result.outcome() == MigrationState.HELD ? MIGRATION_HELD : MIGRATION_ABORTED;
      throw ApplicationFailure.newNonRetryableFailure(
          "migration "
              + plan.migration()
              + " "
              + result.outcome().name().toLowerCase(Locale.ROOT)
              + (result.abortReason() == null ? "" : ": " + result.abortReason()),
          type,
          result);
    }
    return result;
  }

  /** Preflight runs first in a new run (not a continued one), for plans begun since it exists. */
  private void preflightIfNew() {
    if (checkpoint == null
        && Preflight.needed(plan)
        && Workflow.getVersion(PREFLIGHT_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
      record.preparing(PhaseName.PREPARE.yamlName());
      steps.preflight();
    }
  }

  /** The plan's phases, from the one a continued run resumes in. */
  private List<PhaseName> phasesLeft() {
    PhaseName resumeAt = checkpoint == null ? null : checkpoint.phase();
    return plan.phases().present().stream()
        .filter(phase -> resumeAt == null || phase.ordinal() >= resumeAt.ordinal())
        .toList();
  }

  /**
   * Whether a continued run resumes in this phase: its gates were passed, its loop goes on where it
   * was.
   */
  private boolean resumes(PhaseName phase) {
    return checkpoint != null && checkpoint.phase() == phase;
  }

  private void runPhase(PhaseName phase) {
    boolean resuming = resumes(phase);
    switch (phase) {
      case LOWER_TTL -> {
        runSteps(phase, plan.phases().lowerTtl().steps(), 0);
        waitOutOldTtl();
      }
      case PRESYNC -> presync(resuming ? checkpoint.nextPresyncRound() : 1);
      case FINISH -> {
        // Last, so a DNS change the finish phase itself makes still has the short TTL.
        runSteps(phase, plan.phases().steps(phase), 0);
        steps.finishWork(phase);
      }
      case MONITOR ->
          monitor(
              resuming ? checkpoint.nextMonitorCheck() : 1,
              resuming ? checkpoint.monitorEndsAt() : null);
      default -> runSteps(phase, plan.phases().steps(phase), 0);
    }
  }

  /**
   * After the TTLs are lowered, every cache must drop the long TTL: the plan's oldTtl, or longer
   * when a dns-ttl step found a longer original.
   */
  private void waitOutOldTtl() {
    Duration oldTtl = plan.phases().lowerTtl().oldTtl();
    Instant until =
        oldTtl == null ? null : TemporalLimits.plus(DurableWait.now(), oldTtl, "the old TTL");
    Instant lowered = record.dns.switchNotBefore();
    if (lowered != null && (until == null || lowered.isAfter(until))) {
      until = lowered;
    }
    if (until != null) {
      waits.sleepUntil(until, "wait out the old DNS TTL");
    }
  }

  private void enter(PhaseName phase) {
    record.enterPhase(phase.yamlName());
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.PHASE.valueSet(phase.yamlName()));
    log.info("phase {}", phase.yamlName());
  }

  private void runSteps(PhaseName phase, List<Step> list, int round) {
    for (Step step : list) {
      clock.beforeStep(phase, step);
      steps.run(phase, step, round);
    }
  }

  private void awaitWindow() {
    Window window = plan.window();
    if (window != null
        && window.notBefore() != null
        && DurableWait.now().isBefore(window.notBefore())) {
      waits.sleepUntil(window.notBefore(), "the downtime window opens at " + window.notBefore());
    }
  }

  private void presync(int firstRound) {
    PresyncPhase presync = plan.phases().presync();
    Instant windowOpens = plan.window() == null ? null : plan.window().notBefore();
    int maxRounds =
        presync.rounds() != null ? presync.rounds() : (windowOpens == null ? 1 : Integer.MAX_VALUE);
    for (int round = firstRound; ; round++) {
      Instant started = DurableWait.now();
      record.startPresyncRound(round, started);
      runSteps(PhaseName.PRESYNC, presync.steps(), round);
      record.endPresyncRound(round, started, DurableWait.now());
      if (round >= maxRounds || presync.every() == null) {
        return;
      }
      Instant next = TemporalLimits.plus(started, presync.every(), "presync every");
      if (windowOpens != null && !next.isBefore(windowOpens)) {
        return;
      }
      waits.sleepUntil(next, "presync round " + (round + 1));
      continueAsNewIfLong(PhaseName.PRESYNC, round + 1, 1, null);
    }
  }

  private void monitor(int firstCheck, Instant endsAt) {
    MonitorPhase monitor = plan.phases().monitor();
    Instant end = endsAt != null ? endsAt : DurableWait.now().plus(monitor.duration());
    for (int check = firstCheck; ; check++) {
      Instant started = DurableWait.now();
      runSteps(PhaseName.MONITOR, monitor.steps(), check);
      record.monitorCheckDone(check);
      Instant next = TemporalLimits.plus(started, monitor.every(), "monitor every");
      if (!next.isBefore(end)) {
        return;
      }
      waits.sleepUntil(next, "monitor check " + (check + 1));
      continueAsNewIfLong(PhaseName.MONITOR, 1, check + 1, end);
    }
  }

  /** Loops would grow the history without bound; carry the record into a fresh run instead. */
  private void continueAsNewIfLong(
      PhaseName phase, int nextPresyncRound, int nextMonitorCheck, Instant monitorEndsAt) {
    if (Workflow.getInfo().getHistoryLength() < historyLimit
        && !Workflow.getInfo().isContinueAsNewSuggested()) {
      return;
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    notifier.flush();
    abort.throwIfRequested();
    log.info(
        "continuing as new in phase {} after {} events",
        phase.yamlName(),
        Workflow.getInfo().getHistoryLength());
    Checkpoint cp =
        record.checkpoint(
            phase, nextPresyncRound, nextMonitorCheck, monitorEndsAt, gates, decisions, clock);
    Workflow.continueAsNew(new MigrationInput(plan, cp, historyLimit));
  }

  /**
   * Rollback must run even when the workflow itself was canceled, so it runs outside that scope.
   */
  private static MigrationResult detached(java.util.function.Supplier<MigrationResult> work) {
    MigrationResult[] result = new MigrationResult[1];
    Workflow.newDetachedCancellationScope(() -> result[0] = work.get()).run();
    return result[0];
  }

  /**
   * A time the plan asks for that Temporal cannot hold: end the run saying so, instead of failing
   * its task forever.
   */
  private MigrationResult rollbackBeyondLimits(RuntimeException beyond) {
    abort.request("the plan asks for a time the workflow cannot hold: " + beyond.getMessage());
    log.warn(abort.reason());
    return rollback();
  }

  /**
   * "Request Cancellation" in the UI or CLI means abort: undo, then end, as the abort signal does.
   */
  private MigrationResult rollbackCanceled() {
    cancelRequested = true;
    abort.requestUnlessAborting("workflow cancellation requested");
    return rollback();
  }

  private MigrationResult rollback() {
    record.closeOpenSteps(
        "stopped by abort: " + (abort.reason() == null ? "aborted" : abort.reason()));
    decisions.unblock();
    clock.stopBudget();
    String reason = abort.reason() == null ? "aborted" : abort.reason();
    if (abort.pointOfNoReturnPassed()) {
      record.note(
          "aborted after the point of no return: stopped and holding, nothing undone", null);
      return finish(MigrationState.HELD);
    }
    record.rollingBack();
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.PHASE.valueSet("rollback"));
    log.info("rolling back: {}", reason);
    for (UndoEntry entry : record.undoInReverse()) {
      steps.runUndo(entry);
    }
    record.undone();
    return finish(MigrationState.ABORTED);
  }

  private MigrationResult finish(MigrationState outcome) {
    String phase = outcome.name().toLowerCase(Locale.ROOT);
    record.ended(outcome, phase);
    clock.stopIfRunning();
    Workflow.upsertTypedSearchAttributes(
        CutoverSearchAttributes.PHASE.valueSet(phase),
        CutoverSearchAttributes.WAITING_FOR.valueSet(""));
    Workflow.setCurrentDetails(
        "Migration " + phase + (abort.reason() == null ? "" : ": " + abort.reason()));
    notifier.finished(outcome, abort.reason());
    Workflow.await(Workflow::isEveryHandlerFinished);
    notifier.flush();
    return record.result(plan.migration(), outcome, clock.measured(DurableWait.now()));
  }

  // --- handlers -------------------------------------------------------------------------------
  // Signals are checked as updates are; a signal cannot be refused, so one that does not apply is
  // noted in status, in short, and one whose comment or name is too long is cut before it is kept.

  @Override
  public void approve(RawValue raw) {
    Object read = messages.read(CutoverNames.SIGNAL_APPROVE, raw, ApproveRequest.class);
    if (read != OperatorMessages.UNREADABLE) {
      approve((ApproveRequest) read);
    }
  }

  private void approve(ApproveRequest request) {
    String problem = messages.approvalProblem(request, false);
    if (problem != null) {
      messages.ignored(request, problem);
      return;
    }
    GateJudgement judged = gates.judgeRecorded(request);
    if (judged.problem() != null) {
      messages.ignored(request, judged.problem());
      return;
    }
    GateApprover approver = judged.approver();
    if (approver != null) {
      // Under the gate's policy: judged whole (a signature covers the comment), counted, and the
      // fact says how far the gate is.
      messages.counted(request, gates.approve(request, approver));
      return;
    }
    ApproveRequest kept =
        new ApproveRequest(
            request.gate(),
            messages.cut(
                CutoverNames.SIGNAL_APPROVE,
                "comment",
                request.comment(),
                SignalLimits.MAX_COMMENT_CHARS),
            messages.cut(
                CutoverNames.SIGNAL_APPROVE, "by", request.by(), SignalLimits.MAX_BY_CHARS));
    gates.approve(kept);
    messages.accepted(kept);
  }

  @Override
  public GateApproval approveGate(ApproveRequest request) {
    return gates.approve(request);
  }

  @Override
  public void validateApproveGate(ApproveRequest request) {
    String problem = messages.approvalProblem(request, true);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  @Override
  public void decide(RawValue raw) {
    Object read = messages.read(CutoverNames.SIGNAL_DECIDE, raw, DecideRequest.class);
    if (read != OperatorMessages.UNREADABLE) {
      decide((DecideRequest) read);
    }
  }

  private void decide(DecideRequest request) {
    String problem = messages.decisionProblem(request, false);
    if (problem != null) {
      messages.ignored(request, problem);
      return;
    }
    DecideRequest kept =
        new DecideRequest(
            request.step(),
            request.action(),
            messages.cut(
                CutoverNames.SIGNAL_DECIDE,
                "comment",
                request.comment(),
                SignalLimits.MAX_COMMENT_CHARS),
            messages.cut(
                CutoverNames.SIGNAL_DECIDE, "by", request.by(), SignalLimits.MAX_BY_CHARS));
    decisions.decide(kept);
    messages.accepted(kept);
  }

  @Override
  public DecisionRecord decideStep(DecideRequest request) {
    return decisions.decide(request);
  }

  @Override
  public void validateDecideStep(DecideRequest request) {
    String problem = messages.decisionProblem(request, true);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  @Override
  public void abort(RawValue raw) {
    Object read = messages.read(CutoverNames.SIGNAL_ABORT, raw, AbortRequest.class);
    if (read != OperatorMessages.UNREADABLE) {
      abort((AbortRequest) read);
    }
  }

  private void abort(AbortRequest request) {
    String problem = messages.abortProblem(request, false);
    if (problem != null) {
      messages.ignored(request, problem);
      return;
    }
    AbortRequest kept =
        request == null
            ? null
            : new AbortRequest(
                messages.cut(
                    CutoverNames.SIGNAL_ABORT,
                    "reason",
                    request.reason(),
                    SignalLimits.MAX_REASON_CHARS),
                messages.cut(
                    CutoverNames.SIGNAL_ABORT, "by", request.by(), SignalLimits.MAX_BY_CHARS));
    messages.accepted(kept, applyAbort(kept));
  }

  @Override
  public AbortAccepted abortMigration(AbortRequest request) {
    return applyAbort(request);
  }

  @Override
  public void validateAbortMigration(AbortRequest request) {
    String problem = messages.abortProblem(request, true);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private AbortAccepted applyAbort(AbortRequest request) {
    String reason =
        request == null || request.reason() == null ? "no reason given" : request.reason();
    abort.request(
        reason + (request != null && request.by() != null ? " (by " + request.by() + ")" : ""));
    log.info("abort requested: {}", abort.reason());
    if (abort.pointOfNoReturnPassed()) {
      // Holding means letting the step in flight finish: cutting a promote or a DNS change in half
      // is worse.
      return new AbortAccepted(
          false, "past the point of no return: the run stops and holds; nothing is undone");
    }
    steps.cancelRunning();
    return new AbortAccepted(
        true, "the run stops and undoes " + record.undoCount() + " finished step(s) in reverse");
  }

  @Override
  public MigrationStatus status() {
    return record.status(plan.migration(), DurableWait.now(), gates, decisions, clock);
  }
}
