package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Abort undoes finished steps in reverse before the point of no return, and holds after it. */
class AbortTest extends WorkflowTestSupport {

  @Test
  void abortBeforePointOfNoReturnUndoesInReverse() {
    // given three finished steps with undos and a run waiting at a gate
    var plan =
        Plans.parse(
            """
        migration: undo
        hosts: {old: {}, new: {}}
        gates: [{name: go, before: downtime}]
        phases:
          prepare:
            steps:
              - {name: one, kind: run, host: old, command: do-1, undo: {kind: run, host: old, command: undo-1}}
              - {name: two, kind: run, host: new, command: do-2}
              - {name: three, kind: run, host: new, command: do-3, undo: {kind: run, host: new, command: undo-3}}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        """);
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);

    // when an operator aborts
    AbortAccepted accepted =
        workflow.abortMigration(new AbortRequest("customer asked to wait", "dave"));

    // then the undos run newest first, and the run ends aborted with the reason
    assertThat(accepted.undo()).isTrue();
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(result.abortReason()).isEqualTo("customer asked to wait (by dave)");
    assertThat(run.commands).containsExactly("do-1", "do-2", "do-3", "undo-3", "undo-1");
    assertThat(step(result, "one").state()).isEqualTo(StepState.UNDONE);
    assertThat(step(result, "two").state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(step(result, "stop").state()).isEqualTo(StepState.PENDING);
  }

  @Test
  void anAbortedRunEndsAsFailedWithItsResultSoTheUiDoesNotListItAsCompleted() {
    // given a run with an undo, waiting at a gate
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: failed-list
        hosts: {old: {}}
        gates: [{name: go, before: downtime}]
        phases:
          prepare: {steps: [{name: one, kind: run, host: old, command: do-1, undo: {kind: run, host: old, command: undo-1}}]}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        """));
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);

    // when it is aborted and rolled back
    workflow.abortMigration(new AbortRequest("not tonight", "dave"));

    // then Temporal records it as failed, typed, non-retryable, with the result as details
    assertThatThrownBy(() -> untyped().getResult(MigrationResult.class))
        .isInstanceOf(io.temporal.client.WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            io.temporal.failure.ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(MigrationWorkflowImpl.MIGRATION_ABORTED);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .isEqualTo("migration failed-list aborted: not tonight (by dave)");
              assertThat(f.getDetails().get(MigrationResult.class).outcome())
                  .isEqualTo(MigrationState.ABORTED);
            });
    assertThat(client.fetchHistory(ID).getLastEvent().getEventType())
        .isEqualTo(io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
    // and its history replays (the version marker and the failed end are deterministic)
    org.assertj.core.api.Assertions.assertThatCode(
            () ->
                io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(
                    client.fetchHistory(ID), MigrationWorkflowImpl.class))
        .doesNotThrowAnyException();
    // and status still answers after the end
    assertThat(workflow.status().state()).isEqualTo(MigrationState.ABORTED);
    assertThat(step(result(), "one").state()).isEqualTo(StepState.UNDONE);
  }

  @Test
  void abortAfterPointOfNoReturnStopsAndHolds() {
    // given a run past the step that makes the new database primary
    var plan =
        Plans.parse(
            """
        migration: hold
        hosts: {old: {}, new: {}}
        gates: [{name: go-live, before: switch}]
        phases:
          downtime:
            steps:
              - {name: stop-old, kind: run, host: old, command: stop, undo: {kind: run, host: old, command: start-old}}
              - {name: promote-new, kind: run, host: new, command: promote, pointOfNoReturn: true}
          switch: {steps: [{name: flip, kind: run, host: old, command: flip}]}
        """);
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);

    // when an operator aborts
    AbortAccepted accepted = workflow.abortMigration(new AbortRequest("new host slow", null));

    // then nothing is undone: the run holds where it is
    assertThat(accepted.undo()).isFalse();
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.HELD);
    assertThat(run.commands).containsExactly("stop", "promote");
    assertThatThrownBy(() -> untyped().getResult(MigrationResult.class))
        .cause()
        .isInstanceOfSatisfying(
            io.temporal.failure.ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(MigrationWorkflowImpl.MIGRATION_HELD));
    assertThat(workflow.status().pointOfNoReturnPassed()).isTrue();
  }

  @Test
  void cancellingTheWorkflowFromTheUiUndoesLikeAnAbort() {
    // given a finished step with an undo and a run waiting at a gate
    var plan =
        Plans.parse(
            """
        migration: cancel
        hosts: {old: {}}
        gates: [{name: go, before: downtime}]
        phases:
          prepare: {steps: [{name: one, kind: run, host: old, command: do-1, undo: {kind: run, host: old, command: undo-1}}]}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        """);
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);

    // when someone presses "Request Cancellation" in the Temporal UI
    untyped().cancel();

    // then Temporal closes it as canceled, but only after the finished step was undone
    assertThatThrownBy(this::result)
        .isInstanceOf(io.temporal.client.WorkflowFailedException.class)
        .hasMessageContaining("cancel");
    assertThat(client.fetchHistory(ID).getLastEvent().getEventType())
        .isEqualTo(io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
    assertThat(run.commands).containsExactly("do-1", "undo-1");
    MigrationStatus status = workflow.status();
    assertThat(status.state()).isEqualTo(MigrationState.ABORTED);
    assertThat(status.abortReason()).isEqualTo("workflow cancellation requested");
    assertThat(step(status, "one").state()).isEqualTo(StepState.UNDONE);
  }

  @Test
  void abortDuringAWaitStepMarksItStopped() {
    // given a run in the middle of a day-long wait step
    var plan =
        Plans.parse(
            """
        migration: wait-abort
        hosts: {old: {}}
        phases:
          prepare: {steps: [{name: settle, kind: wait, duration: 1d}]}
        """);
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING);

    // when it is aborted
    workflow.abortMigration(new AbortRequest("changed plans", null));

    // then the step does not look as if it were still running
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(step(result, "settle").state()).isEqualTo(StepState.FAILED);
  }
}
