package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A step whose retries are spent waits for a person instead of failing the migration. */
class DecisionTest extends WorkflowTestSupport {
  static final String PLAN =
      """
      migration: decide
      hosts: {old: {}}
      phases:
        prepare:
          steps:
            - {name: first, kind: run, host: old, command: first, undo: {kind: run, host: old, command: undo-first}}
            - {name: flaky, kind: run, host: old, command: flaky, retry: {maxAttempts: 2, initialInterval: 1s}}
            - {name: last, kind: run, host: old, command: last}
      """;

  private final AtomicBoolean fixed = new AtomicBoolean();

  private void failFlakyUntilFixed() {
    run.answer(
        r -> {
          if (r.command().equals("flaky") && !fixed.get()) {
            throw ApplicationFailure.newFailure(
                "step flaky on host old: exit code 1; last output: disk full",
                CutoverErrors.COMMAND_FAILED,
                new RunResult(1, "writing...\ndisk full", 5, false));
          }
          return new RunResult(0, "", 1, false);
        });
  }

  @Test
  void blockedStepWaitsThenRetrySucceedsAfterTheCauseIsFixed() {
    // given a step that fails until the cause is fixed
    failFlakyUntilFixed();
    MigrationWorkflow workflow = start(Plans.parse(PLAN));

    // when its retries are spent
    MigrationStatus blocked = awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // then it waits, showing the error, the output tail and the exact decision to send
    assertThat(blocked.waitingFor()).isEqualTo("decision:flaky");
    StepStatus flaky = step(blocked, "flaky");
    assertThat(flaky.state()).isEqualTo(StepState.BLOCKED);
    assertThat(flaky.error()).contains("disk full");
    assertThat(flaky.errorType()).isEqualTo(CutoverErrors.COMMAND_FAILED);
    assertThat(flaky.exitCode()).isEqualTo(1);
    assertThat(flaky.outputTail()).endsWith("disk full");
    assertThat(blocked.nextAction()).contains("cutover decide " + ID + " flaky retry|skip|abort");
    assertThat(run.commands.stream().filter("flaky"::equals).count()).isEqualTo(2);
    // and TRY counts Temporal's attempts, not the operator's tries
    assertThat(flaky.attempts()).isEqualTo(2);

    // when the operator fixes the cause and decides retry
    fixed.set(true);
    workflow.decideStep(new DecideRequest("flaky", DecisionAction.RETRY, "freed space", "bob"));

    // then the step runs again and the migration completes with the decision on record
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(step(result, "flaky").state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(step(result, "flaky").attempts()).isEqualTo(3);
    assertThat(workflow.status().decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.action()).isEqualTo(DecisionAction.RETRY);
              assertThat(d.comment()).isEqualTo("freed space");
            });
  }

  @Test
  void skipGoesOnWithTheNextStep() {
    // given a blocked step
    failFlakyUntilFixed();
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // when the operator skips it, by the signal the UI sends
    untyped()
        .signal(
            CutoverNames.SIGNAL_DECIDE,
            new DecideRequest("flaky", DecisionAction.SKIP, "not needed", null));

    // then the next step runs and the skipped one says so
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(step(result, "flaky").state()).isEqualTo(StepState.SKIPPED);
    assertThat(run.commands).endsWith("last");
  }

  @Test
  void abortDecisionUndoesFinishedSteps() {
    // given a blocked step after one with an undo
    failFlakyUntilFixed();
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // when the operator decides abort
    workflow.decideStep(new DecideRequest("flaky", DecisionAction.ABORT, "wrong night", "carol"));

    // then the finished step is undone and the last never ran
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(run.commands).endsWith("undo-first").doesNotContain("last");
    assertThat(step(result, "first").state()).isEqualTo(StepState.UNDONE);
  }

  @Test
  void decisionForAStepThatIsNotBlockedIsRejected() {
    // given a run blocked on flaky
    failFlakyUntilFixed();
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // when someone decides on another step, then the update says which step is blocked
    assertThatThrownBy(
            () -> workflow.decideStep(new DecideRequest("first", DecisionAction.RETRY, null, null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining(
            "step 'first' is not waiting for a decision; the blocked step is 'flaky'");
  }

  @Test
  void onFailureContinueAndAbortNeedNoPerson() {
    // given a failing step marked continue, then one marked abort
    run.answer(
        r -> {
          if (r.command().startsWith("fail")) {
            throw ApplicationFailure.newNonRetryableFailure(
                "boom", CutoverErrors.COMMAND_NOT_FOUND);
          }
          return new RunResult(0, "", 1, false);
        });
    var plan =
        Plans.parse(
            """
        migration: policies
        hosts: {old: {}}
        phases:
          prepare:
            steps:
              - {name: a, kind: run, host: old, command: ok-a, undo: {kind: run, host: old, command: undo-a}}
              - {name: optional, kind: run, host: old, command: fail-optional, onFailure: continue}
              - {name: vital, kind: run, host: old, command: fail-vital, onFailure: abort}
              - {name: never, kind: run, host: old, command: never}
        """);

    // when it runs
    start(plan);
    MigrationResult result = result();

    // then the optional failure is recorded, the vital one aborts and undoes a
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(step(result, "optional").state()).isEqualTo(StepState.FAILED);
    assertThat(result.abortReason()).contains("step vital failed and the plan says abort");
    assertThat(run.commands).containsExactly("ok-a", "fail-optional", "fail-vital", "undo-a");
  }
}
