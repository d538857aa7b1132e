package dev.cutover.workflow;

import dev.cutover.plan.BudgetAction;
import dev.cutover.plan.Gate;
import dev.cutover.plan.MonitorPhase;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.PresyncPhase;
import dev.cutover.preflight.Preflight;
import dev.cutover.plan.Step;
import dev.cutover.plan.Window;
import dev.cutover.plan.load.DurationText;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/** Walks the plan's phases in order; see DESIGN.md "Workflow semantics". */
public class MigrationWorkflowImpl implements MigrationWorkflow {
  private static final Logger log = Workflow.getLogger(MigrationWorkflowImpl.class);

  /** Continue-as-new past this many events: far below Temporal's limits, and keeps replays quick. */
  static final int DEFAULT_HISTORY_LIMIT = 5_000;

  private final Plan plan;
  private final Checkpoint checkpoint;
  private final int historyLimit;
  private final MigrationRecord record;
  private final DurableWait waits;
  private final StepExecutor steps;
  private final Notifier notifier;
  private final OperatorMessages messages;
  private final String workflowId;
  private CancellationScope budgetTimer;
  private boolean budgetAsked;
  /** Temporal's cancellation (Request Cancellation in the UI) started the rollback. */
  private boolean cancelRequested;

  /** Version marker of preflight, added after v1 histories were recorded: runs begun before it skip it. */
  static final String PREFLIGHT_CHANGE = "preflight";
  /**
   * Version marker of bounded state (after v4): a run that did not complete ends as failed, with
   * its result as the failure's details, and a repeating phase keeps one undo per step. Runs begun
   * before it end and roll back as they always did.
   */
  static final String BOUNDED_STATE_CHANGE = "bounded-state";
  /** The failure type of a run that was aborted and rolled back; its details are the {@link MigrationResult}. */
  public static final String MIGRATION_ABORTED = "MigrationAborted";
  /** The failure type of a run aborted past the point of no return, stopped and held; details as above. */
  public static final String MIGRATION_HELD = "MigrationHeld";

  @WorkflowInit
  public MigrationWorkflowImpl(MigrationInput input) {
    this.plan = input.plan();
    this.checkpoint = input.checkpoint();
    this.historyLimit = input.historyLimit() != null ? input.historyLimit() : DEFAULT_HISTORY_LIMIT;
    this.workflowId = Workflow.getInfo().getWorkflowId();
    this.record = new MigrationRecord(plan, checkpoint);
    this.waits = new DurableWait(record);
    this.notifier = new Notifier(plan, record, workflowId);
    this.steps = new StepExecutor(plan, record, waits, workflowId, notifier);
    this.messages = new OperatorMessages(record, log);
    // A misspelled signal name would otherwise wait unseen in the SDK's buffer: say so in status.
    Workflow.registerListener((DynamicSignalHandler) (name, args) -> {
      record.note("ignored signals of unknown names", SignalLimits.quote(name) + " is no signal of this workflow; send "
          + CutoverNames.SIGNAL_APPROVE + ", " + CutoverNames.SIGNAL_DECIDE + " or " + CutoverNames.SIGNAL_ABORT);
      log.warn("ignored signal of unknown name {}", SignalLimits.quote(name));
    });
  }

  @Override
  public MigrationResult run(MigrationInput input) {
    record.bounded = Workflow.getVersion(BOUNDED_STATE_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
    MigrationResult result = walk();
    if (record.bounded && result.outcome() != MigrationState.COMPLETED && !cancelRequested) {
      // So the Temporal UI's list shows a rolled-back or held migration as failed, not completed.
      // (A run canceled in the UI still closes as canceled, as the SDK does after a cancellation.)
      String type = result.outcome() == MigrationState.HELD ? MIGRATION_HELD : MIGRATION_ABORTED;
      throw ApplicationFailure.newNonRetryableFailure("migration " + plan.migration() + " "
          + result.outcome().name().toLowerCase(Locale.ROOT) + (result.abortReason() == null ? "" : ": " + result.abortReason()), type, result);
    }
    return result;
  }

  private MigrationResult walk() {
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.MIGRATION.valueSet(plan.migration()));
    PhaseName resumeAt = checkpoint == null ? null : checkpoint.phase();
    try {
      if (checkpoint == null && Preflight.needed(plan)
          && Workflow.getVersion(PREFLIGHT_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
        record.phase = PhaseName.PREPARE.yamlName();
        steps.preflight();
      }
      for (PhaseName phase : plan.phases().present()) {
        if (resumeAt != null && phase.ordinal() < resumeAt.ordinal()) {
          continue;
        }
        boolean resuming = resumeAt == phase;
        resumeAt = null;
        enter(phase);
        if (!resuming) {
          openGates(phase);
        }
        if (isDowntimeSpanEnd(phase, 0)) {
          awaitWindow();
        }
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
          case MONITOR -> monitor(resuming ? checkpoint.nextMonitorCheck() : 1, resuming ? checkpoint.monitorEndsAt() : null);
          default -> runSteps(phase, plan.phases().steps(phase), 0);
        }
        if (isDowntimeSpanEnd(phase, -1) && record.downtimeStartedAt != null) {
          stopDowntimeClock();
        }
      }
      if (record.abortRequested) {
        throw new Aborted(); // accepted in the same moment the last step ended: keep the promise made
      }
      dev.cutover.steps.put.PutCleanup.afterCompletion(plan, record::note); // put's backups: not needed once completed
      return finish(MigrationState.COMPLETED);
    } catch (Aborted aborted) {
      return detached(this::rollback);
    } catch (TemporalLimits.BeyondLimits | ArithmeticException | java.time.DateTimeException beyond) {
      // A time the plan asks for that Temporal cannot hold: end the run saying so, instead of failing its task forever.
      record.abortRequested = true;
      record.abortReason = "the plan asks for a time the workflow cannot hold: " + beyond.getMessage();
      log.warn(record.abortReason);
      return detached(this::rollback);
    } catch (CanceledFailure canceled) {
      cancelRequested = true;
      // "Request Cancellation" in the UI or CLI means abort: undo, then end, as the abort signal does.
      record.abortRequested = true;
      if (record.abortReason == null) {
        record.abortReason = "workflow cancellation requested";
      }
      return detached(this::rollback);
    }
  }

  /**
   * After the TTLs are lowered, every cache must drop the long TTL: the plan's oldTtl, or longer
   * when a dns-ttl step found a longer original.
   */
  private void waitOutOldTtl() {
    Duration oldTtl = plan.phases().lowerTtl().oldTtl();
    Instant until = oldTtl == null ? null : TemporalLimits.plus(DurableWait.now(), oldTtl, "the old TTL");
    Instant lowered = record.dns.switchNotBefore();
    if (lowered != null && (until == null || lowered.isAfter(until))) {
      until = lowered;
    }
    if (until != null) {
      waits.sleepUntil(until, "wait out the old DNS TTL");
    }
  }

  private void enter(PhaseName phase) {
    record.phase = phase.yamlName();
    record.state = MigrationState.RUNNING;
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.PHASE.valueSet(phase.yamlName()));
    log.info("phase {}", phase.yamlName());
  }

  private void runSteps(PhaseName phase, List<Step> list, int round) {
    for (Step step : list) {
      if (phase.inDowntimeSpan()) {
        if (record.downtimeStartedAt == null) {
          notifier.downtimeStarted(phase.yamlName(), step.name());
        }
        startDowntimeClock();
        askIfOverBudget();
      }
      steps.run(phase, step, round);
    }
  }

  private void openGates(PhaseName phase) {
    for (Gate gate : plan.gates()) {
      if (phase.yamlName().equals(gate.before())) {
        awaitGate(gate.name(), gate.description(), gate.deadline());
      }
    }
  }

  private void awaitGate(String name, String description, Duration deadline) {
    GateStatus gate = record.gates.get(name);
    if (gate.state() == GateState.APPROVED) {
      return;
    }
    record.gates.put(name, gate.opened(DurableWait.now()));
    record.state = MigrationState.WAITING_FOR_GATE;
    record.waitingFor = "gate:" + name;
    record.nextAction = OperatorHints.approveAction(workflowId, name);
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.WAITING_FOR.valueSet(record.waitingFor));
    String estimate = PhaseName.DOWNTIME.yamlName().equals(gate.before()) ? OperatorHints.finalSyncEstimate(record.lastSyncedRound()) : null;
    if (estimate != null) {
      record.note(estimate, null);
    }
    Workflow.setCurrentDetails(OperatorHints.gateDetails(workflowId, name,
        estimate == null ? description : (description == null ? "" : description + "\n\n") + estimate, gate.before()));
    log.info("gate {} is open", name);
    notifier.gateOpened(name, gate.before(), description);
    CancellationScope reminders = notifier.remindWhileOpen(name, gate.before());
    boolean approved;
    if (deadline != null) {
      record.waitingUntil = TemporalLimits.plus(DurableWait.now(), deadline, "the deadline of gate " + name);
      approved = Workflow.await(deadline, () -> isApproved(name) || record.abortRequested);
    } else {
      Workflow.await(() -> isApproved(name) || record.abortRequested);
      approved = true;
    }
    if (reminders != null) {
      reminders.cancel();
    }
    record.waitingUntil = null;
    record.waitingFor = "";
    record.nextAction = "";
    record.state = MigrationState.RUNNING;
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.WAITING_FOR.valueSet(""));
    if (record.abortRequested) {
      throw new Aborted();
    }
    if (!approved) {
      // Fail closed: nobody approved in time, so the risky phase does not start.
      record.gates.put(name, record.gates.get(name).expired());
      record.abortRequested = true;
      record.abortReason = "gate " + name + " expired after " + DurationText.format(deadline) + " without approval";
      throw new Aborted();
    }
  }

  private boolean isApproved(String gate) {
    return record.gates.get(gate).state() == GateState.APPROVED;
  }

  private void awaitWindow() {
    Window window = plan.window();
    if (window != null && window.notBefore() != null && DurableWait.now().isBefore(window.notBefore())) {
      waits.sleepUntil(window.notBefore(), "the downtime window opens at " + window.notBefore());
    }
  }

  private void presync(int firstRound) {
    PresyncPhase presync = plan.phases().presync();
    Instant windowOpens = plan.window() == null ? null : plan.window().notBefore();
    int maxRounds = presync.rounds() != null ? presync.rounds() : (windowOpens == null ? 1 : Integer.MAX_VALUE);
    for (int round = firstRound; ; round++) {
      Instant started = DurableWait.now();
      record.addPresyncRound(new PresyncRound(round, started, null));
      record.startRound();
      runSteps(PhaseName.PRESYNC, presync.steps(), round);
      record.presyncRounds.set(record.presyncRounds.size() - 1, record.roundSynced
          ? new PresyncRound(round, started, DurableWait.now(), record.roundChanged, record.roundBytes, record.roundSyncMillis)
          : new PresyncRound(round, started, DurableWait.now()));
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
      record.monitorChecks = check;
      Instant next = TemporalLimits.plus(started, monitor.every(), "monitor every");
      if (!next.isBefore(end)) {
        return;
      }
      waits.sleepUntil(next, "monitor check " + (check + 1));
      continueAsNewIfLong(PhaseName.MONITOR, 1, check + 1, end);
    }
  }

  /** Loops would grow the history without bound; carry the record into a fresh run instead. */
  private void continueAsNewIfLong(PhaseName phase, int nextPresyncRound, int nextMonitorCheck, Instant monitorEndsAt) {
    if (Workflow.getInfo().getHistoryLength() < historyLimit && !Workflow.getInfo().isContinueAsNewSuggested()) {
      return;
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    notifier.flush();
    if (record.abortRequested) {
      throw new Aborted();
    }
    log.info("continuing as new in phase {} after {} events", phase.yamlName(), Workflow.getInfo().getHistoryLength());
    Checkpoint cp = record.checkpoint(phase, nextPresyncRound, nextMonitorCheck, monitorEndsAt);
    Workflow.continueAsNew(new MigrationInput(plan, cp, historyLimit));
  }

  private void startDowntimeClock() {
    if (record.downtimeStartedAt == null) {
      record.downtimeStartedAt = DurableWait.now();
      log.info("downtime started");
    }
    if (budgetTimer == null && plan.window() != null && plan.window().downtimeBudget() != null) {
      Duration left = Duration.between(DurableWait.now(),
          TemporalLimits.plus(record.downtimeStartedAt, plan.window().downtimeBudget(), "the downtime budget"));
      // A timer, not a check between steps: the budget must also bite while a step runs or
      // waits for a decision. It is canceled when the downtime ends.
      budgetTimer = Workflow.newCancellationScope(() -> Workflow.newTimer(
              left.isNegative() ? Duration.ZERO : left,
              TimerOptions.newBuilder().setSummary("downtime budget " + DurationText.format(plan.window().downtimeBudget())).build())
          .thenApply(fired -> {
            budgetSpent();
            return fired;
          }));
      budgetTimer.run();
    }
  }

  private void stopDowntimeClock() {
    record.downtimeEndedAt = DurableWait.now();
    if (budgetTimer != null) {
      budgetTimer.cancel();
    }
    log.info("downtime ended after {}", record.downtime(record.downtimeEndedAt));
    notifier.downtimeEnded(record.downtime(record.downtimeEndedAt));
  }

  private String budgetNote() {
    return "downtime budget of " + DurationText.format(plan.window().downtimeBudget()) + " exceeded";
  }

  /** Runs on the workflow thread when the budget timer fires. */
  private void budgetSpent() {
    if (record.downtimeEndedAt != null || record.budgetExceeded) {
      return;
    }
    record.budgetExceeded = true;
    String note = budgetNote();
    record.note(note, null);
    log.warn(note);
    if (plan.window().onBudgetExceededOrDefault() == BudgetAction.ABORT && !record.abortRequested) {
      record.abortRequested = true;
      record.abortReason = note + " and the plan says abort";
      if (!record.pointOfNoReturnPassed) {
        steps.cancelRunning();
      }
    }
  }

  /** With onBudgetExceeded: ask, the next step waits for the gate downtime-budget once the budget is spent. */
  private void askIfOverBudget() {
    if (!record.budgetExceeded || budgetAsked || plan.window().onBudgetExceededOrDefault() != BudgetAction.ASK) {
      return;
    }
    budgetAsked = true;
    String note = budgetNote();
    record.gates.putIfAbsent(CutoverNames.BUDGET_GATE,
        GateStatus.pending(CutoverNames.BUDGET_GATE, record.phase, note + ": approve to go on, or abort"));
    awaitGate(CutoverNames.BUDGET_GATE, note + ": approve to go on, or abort", null);
  }

  /**
   * Whether the phase opens ({@code end} 0) or closes ({@code end} -1) the downtime span: the
   * plan's phases among downtime, switch and verify.
   */
  private boolean isDowntimeSpanEnd(PhaseName phase, int end) {
    List<PhaseName> span = plan.phases().present().stream().filter(PhaseName::inDowntimeSpan).toList();
    return !span.isEmpty() && span.get(end < 0 ? span.size() - 1 : 0) == phase;
  }

  /** Rollback must run even when the workflow itself was canceled, so it runs outside that scope. */
  private static MigrationResult detached(java.util.function.Supplier<MigrationResult> work) {
    MigrationResult[] result = new MigrationResult[1];
    Workflow.newDetachedCancellationScope(() -> result[0] = work.get()).run();
    return result[0];
  }

  private MigrationResult rollback() {
    record.closeOpenSteps("stopped by abort: " + (record.abortReason == null ? "aborted" : record.abortReason));
    if (budgetTimer != null) {
      budgetTimer.cancel();
    }
    String reason = record.abortReason == null ? "aborted" : record.abortReason;
    if (record.pointOfNoReturnPassed) {
      record.note("aborted after the point of no return: stopped and holding, nothing undone", null);
      return finish(MigrationState.HELD);
    }
    record.state = MigrationState.ROLLING_BACK;
    record.phase = "rollback";
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.PHASE.valueSet("rollback"));
    log.info("rolling back: {}", reason);
    List<UndoEntry> reversed = new ArrayList<>(record.undo);
    java.util.Collections.reverse(reversed);
    for (UndoEntry entry : reversed) {
      steps.runUndo(entry);
    }
    record.undo.clear();
    return finish(MigrationState.ABORTED);
  }

  private MigrationResult finish(MigrationState outcome) {
    record.state = outcome;
    record.currentStep = null;
    record.waitingFor = "";
    record.nextAction = "";
    if (record.downtimeStartedAt != null && record.downtimeEndedAt == null) {
      record.downtimeEndedAt = DurableWait.now();
      notifier.downtimeEnded(record.downtime(record.downtimeEndedAt));
    }
    String phase = outcome.name().toLowerCase(Locale.ROOT);
    record.phase = phase;
    Workflow.upsertTypedSearchAttributes(
        CutoverSearchAttributes.PHASE.valueSet(phase), CutoverSearchAttributes.WAITING_FOR.valueSet(""));
    Workflow.setCurrentDetails("Migration " + phase + (record.abortReason == null ? "" : ": " + record.abortReason));
    notifier.finished(outcome, record.abortReason);
    Workflow.await(Workflow::isEveryHandlerFinished);
    notifier.flush();
    return record.result(plan.migration(), outcome, record.downtime(DurableWait.now()));
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
      messages.ignored(CutoverNames.SIGNAL_APPROVE, problem);
      return;
    }
    applyApproval(new ApproveRequest(request.gate(),
        messages.cut(CutoverNames.SIGNAL_APPROVE, "comment", request.comment(), SignalLimits.MAX_COMMENT_CHARS),
        messages.cut(CutoverNames.SIGNAL_APPROVE, "by", request.by(), SignalLimits.MAX_BY_CHARS)));
  }

  @Override
  public GateApproval approveGate(ApproveRequest request) {
    return applyApproval(request);
  }

  @Override
  public void validateApproveGate(ApproveRequest request) {
    String problem = messages.approvalProblem(request, true);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private GateApproval applyApproval(ApproveRequest request) {
    Instant now = DurableWait.now();
    record.gates.put(request.gate(), record.gates.get(request.gate()).approved(now, request.comment(), request.by()));
    log.info("gate {} approved by {}", request.gate(), request.by());
    return new GateApproval(request.gate(), now, request.comment(), request.by());
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
      messages.ignored(CutoverNames.SIGNAL_DECIDE, problem);
      return;
    }
    record.pendingDecision = new DecideRequest(request.step(), request.action(),
        messages.cut(CutoverNames.SIGNAL_DECIDE, "comment", request.comment(), SignalLimits.MAX_COMMENT_CHARS),
        messages.cut(CutoverNames.SIGNAL_DECIDE, "by", request.by(), SignalLimits.MAX_BY_CHARS));
  }

  @Override
  public DecisionRecord decideStep(DecideRequest request) {
    record.pendingDecision = request;
    return new DecisionRecord(request.step(), request.action(), request.comment(), request.by(), DurableWait.now());
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
      messages.ignored(CutoverNames.SIGNAL_ABORT, problem);
      return;
    }
    applyAbort(request == null ? null : new AbortRequest(
        messages.cut(CutoverNames.SIGNAL_ABORT, "reason", request.reason(), SignalLimits.MAX_REASON_CHARS),
        messages.cut(CutoverNames.SIGNAL_ABORT, "by", request.by(), SignalLimits.MAX_BY_CHARS)));
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
    String reason = request == null || request.reason() == null ? "no reason given" : request.reason();
    record.abortRequested = true;
    record.abortReason = reason + (request != null && request.by() != null ? " (by " + request.by() + ")" : "");
    log.info("abort requested: {}", record.abortReason);
    if (record.pointOfNoReturnPassed) {
      // Holding means letting the step in flight finish: cutting a promote or a DNS change in half is worse.
      return new AbortAccepted(false, "past the point of no return: the run stops and holds; nothing is undone");
    }
    steps.cancelRunning();
    return new AbortAccepted(true, "the run stops and undoes " + record.undo.size() + " finished step(s) in reverse");
  }

  @Override
  public MigrationStatus status() {
    Duration budget = plan.window() == null ? null : plan.window().downtimeBudget();
    return record.status(plan.migration(), budget, DurableWait.now());
  }
}
