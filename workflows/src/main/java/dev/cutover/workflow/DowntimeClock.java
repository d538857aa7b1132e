package dev.cutover.workflow;

import dev.cutover.plan.BudgetAction;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.load.DurationText;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/**
 * The downtime clock: it starts at the first step of the downtime span and stops when the span's
 * last phase ends (traffic on the new host, checks passed). Past the plan's budget it asks at the
 * next step (the gate downtime-budget) or aborts, as the plan says.
 */
final class DowntimeClock {
  private static final Logger log = Workflow.getLogger(DowntimeClock.class);

  private final Plan plan;
  private final MigrationRecord record;
  private final AbortState abort;
  private final Notifier notifier;
  private final GateWait gates;

  /** Cuts the step in flight short when the budget says abort. */
  private final Runnable cancelRunningStep;

  private Instant startedAt;
  private Instant endedAt;
  private boolean budgetExceeded;
  private CancellationScope budgetTimer;
  private boolean budgetAsked;

  DowntimeClock(
      Plan plan,
      Checkpoint checkpoint,
      MigrationRecord record,
      AbortState abort,
      Notifier notifier,
      GateWait gates,
      Runnable cancelRunningStep) {
    this.plan = plan;
    this.record = record;
    this.abort = abort;
    this.notifier = notifier;
    this.gates = gates;
    this.cancelRunningStep = cancelRunningStep;
    if (checkpoint != null) {
      startedAt = checkpoint.downtimeStartedAt();
      endedAt = checkpoint.downtimeEndedAt();
      budgetExceeded = checkpoint.budgetExceeded();
    }
  }

  /**
   * Before each step of the downtime span: the first starts the clock (and says so), and once the
   * budget is spent, the next waits at the budget's gate when the plan says ask.
   */
  void beforeStep(PhaseName phase, Step step) {
    if (!phase.inDowntimeSpan()) {
      return;
    }
    if (startedAt == null) {
      notifier.downtimeStarted(phase.yamlName(), step.name());
    }
    start();
    askIfOverBudget();
  }

  private void start() {
    if (startedAt == null) {
      startedAt = DurableWait.now();
      log.info("downtime started");
    }
    if (budgetTimer == null && budget() != null) {
      Duration left =
          Duration.between(
              DurableWait.now(), TemporalLimits.plus(startedAt, budget(), "the downtime budget"));
      // A timer, not a check between steps: the budget must also bite while a step runs or
      // waits for a decision. It is canceled when the downtime ends.
      budgetTimer =
          Workflow.newCancellationScope(
              () ->
                  Workflow.newTimer(
                          left.isNegative() ? Duration.ZERO : left,
                          TimerOptions.newBuilder()
                              .setSummary("downtime budget " + DurationText.format(budget()))
                              .build())
                      .thenApply(
                          fired -> {
                            budgetSpent();
                            return fired;
                          }));
      budgetTimer.run();
    }
  }

  /** Runs on the workflow thread when the budget timer fires. */
  private void budgetSpent() {
    if (endedAt != null || budgetExceeded) {
      return;
    }
    budgetExceeded = true;
    String note = budgetNote();
    record.note(note, null);
    log.warn(note);
    if (plan.window().onBudgetExceededOrDefault() == BudgetAction.ABORT
        && abort.requestUnlessAborting(note + " and the plan says abort")
        && !abort.pointOfNoReturnPassed()) {
      cancelRunningStep.run();
    }
  }

  /**
   * With onBudgetExceeded: ask, the next step waits for the gate downtime-budget once the budget is
   * spent.
   */
  private void askIfOverBudget() {
    if (!budgetExceeded
        || budgetAsked
        || plan.window().onBudgetExceededOrDefault() != BudgetAction.ASK) {
      return;
    }
    budgetAsked = true;
    gates.passBudgetGate(budgetNote() + ": approve to go on, or abort");
  }

  private String budgetNote() {
    return "downtime budget of " + DurationText.format(budget()) + " exceeded";
  }

  /**
   * Whether the phase opens the downtime span: the first of the plan's phases among downtime,
   * switch and verify.
   */
  boolean opensSpan(PhaseName phase) {
    return isSpanEnd(phase, 0);
  }

  /**
   * After each phase: when it closes the downtime span, traffic is on the new host and its checks
   * passed.
   */
  void afterPhase(PhaseName phase) {
    if (isSpanEnd(phase, -1) && startedAt != null) {
      stop();
    }
  }

  /** Whether the phase opens ({@code end} 0) or closes ({@code end} -1) the downtime span. */
  private boolean isSpanEnd(PhaseName phase, int end) {
    List<PhaseName> span =
        plan.phases().present().stream().filter(PhaseName::inDowntimeSpan).toList();
    return !span.isEmpty() && span.get(end < 0 ? span.size() - 1 : 0) == phase;
  }

  private void stop() {
    endedAt = DurableWait.now();
    if (budgetTimer != null) {
      budgetTimer.cancel();
    }
    log.info("downtime ended after {}", measured(endedAt));
    notifier.downtimeEnded(measured(endedAt));
  }

  /** An abort: the budget no longer bites, whatever the rollback takes. */
  void stopBudget() {
    if (budgetTimer != null) {
      budgetTimer.cancel();
    }
  }

  /** The run ends with the clock still running (an abort in the downtime): it stops now. */
  void stopIfRunning() {
    if (startedAt != null && endedAt == null) {
      endedAt = DurableWait.now();
      notifier.downtimeEnded(measured(endedAt));
    }
  }

  /** The downtime so far, or in all once stopped; {@code null} before it started. */
  Duration measured(Instant now) {
    if (startedAt == null) {
      return null;
    }
    return Duration.between(startedAt, endedAt != null ? endedAt : now);
  }

  DowntimeStatus status(Instant now) {
    Duration budget = budget();
    return new DowntimeStatus(
        startedAt,
        endedAt,
        budget,
        measured(now),
        budgetExceeded
            || (budget != null && measured(now) != null && measured(now).compareTo(budget) > 0));
  }

  private Duration budget() {
    return plan.window() == null ? null : plan.window().downtimeBudget();
  }

  Instant startedAt() {
    return startedAt;
  }

  Instant endedAt() {
    return endedAt;
  }

  boolean budgetExceeded() {
    return budgetExceeded;
  }
}
