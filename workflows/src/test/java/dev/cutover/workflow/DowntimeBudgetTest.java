package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.CutoverErrors;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The downtime clock runs from the first downtime step until verify ends; past the budget the plan
 * decides.
 */
class DowntimeBudgetTest extends WorkflowTestSupport {
  static final String PLAN =
      """
      migration: budget
      hosts: {old: {}, new: {}}
      window: {downtimeBudget: 10m, onBudgetExceeded: %s}
      phases:
        prepare:  {steps: [{name: prep, kind: run, host: old, command: prep, undo: {kind: run, host: old, command: unprep}}]}
        downtime:
          steps:
            - {name: stop, kind: run, host: old, command: stop}
            - {name: slow-sync, kind: wait, duration: 15m}
        switch: {steps: [{name: flip, kind: run, host: old, command: flip}]}
        verify: {steps: [{name: check, kind: run, host: new, command: check}]}
        finish: {steps: [{name: tidy, kind: wait, duration: 1h}]}
      """;

  @Test
  void pastTheBudgetTheRunAsksAndGoesOnWhenApproved() {
    // given a downtime that takes 15 minutes against a 10-minute budget
    MigrationWorkflow workflow = start(Plans.parse(PLAN.formatted("ask")));

    // when the budget is spent, then the run opens the budget gate
    MigrationStatus status =
        awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);
    assertThat(status.waitingFor()).isEqualTo("gate:" + CutoverNames.BUDGET_GATE);
    assertThat(status.downtime().budgetExceeded()).isTrue();

    // when an operator approves going on
    workflow.approveGate(new ApproveRequest(CutoverNames.BUDGET_GATE, "almost there", null));

    // then it completes, and the downtime covers downtime, switch and verify but not finish
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(result.downtime())
        .isGreaterThanOrEqualTo(Duration.ofMinutes(15))
        .isLessThan(Duration.ofMinutes(30));
  }

  @Test
  void pastTheBudgetWithAbortPolicyTheRunAbortsAndUndoes() {
    // given the same downtime with onBudgetExceeded: abort
    start(Plans.parse(PLAN.formatted("abort")));

    // when it runs
    MigrationResult result = result();

    // then it aborts after the slow step and undoes what finished
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(result.abortReason()).contains("downtime budget of 10m exceeded");
    assertThat(run.commands).containsExactly("prep", "stop", "unprep").doesNotContain("flip");
  }

  @Test
  void budgetBitesWhileAStepWaitsForADecision() {
    // given a downtime step that fails and blocks, under a 10-minute budget with onBudgetExceeded:
    // abort
    run.answer(
        r -> {
          if (r.command().equals("stop")) {
            throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
                "unit busy", CutoverErrors.COMMAND_NOT_FOUND);
          }
          return new dev.cutover.steps.run.RunResult(0, "", 1, false);
        });
    MigrationWorkflow workflow = start(Plans.parse(PLAN.formatted("abort")));
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // when nobody decides and the budget runs out
    MigrationResult result = result();

    // then the run aborts by itself at the budget, undoes prepare, and the blocked step says why it
    // stopped
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(result.abortReason()).contains("downtime budget of 10m exceeded");
    assertThat(run.commands).containsExactly("prep", "stop", "unprep");
    assertThat(step(result, "stop").state()).isEqualTo(StepState.FAILED);
    assertThat(step(result, "stop").error()).contains("stopped by abort");
  }
}
