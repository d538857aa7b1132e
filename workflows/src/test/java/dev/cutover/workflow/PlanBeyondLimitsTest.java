package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.plan.Plan;
import dev.cutover.steps.CutoverErrors;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A plan with a time Temporal cannot hold (validate may refuse it, but a plan started by an older
 * CLI or by hand slips through) ends cleanly with a message: the step fails, or the run rolls back
 * and fails, never a workflow task failing over and over.
 */
class PlanBeyondLimitsTest extends WorkflowTestSupport {
  static final String PLAN =
      """
      migration: beyond
      hosts: {old: {}}
      window: {notBefore: '2026-01-01T00:00:00Z'}
      phases:
        prepare:  {steps: [{name: prep, kind: run, host: old, command: prep, undo: {kind: run, host: old, command: unprep}}]}
        downtime:
          steps:
            - {name: pause, kind: wait, duration: 1m}
            - {name: stop, kind: run, host: old, command: stop, timeout: 1m, onFailure: abort}
      """;

  /** 99999999d in seconds, as the probe wrote it. */
  static final long HUGE_SECONDS = 99_999_999L * 86_400;

  @Test
  void aWaitTooLongForATimerFailsTheStepWithTheLimit() {
    // given a wait step of 99999999d
    MigrationWorkflow workflow = start(edited(n -> step(n, 0).put("duration", HUGE_SECONDS)));

    // when the run reaches it, then the step is blocked with a message naming the limit, the run
    // still answers
    MigrationStatus status = awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);
    assertThat(step(status, "pause").error())
        .contains("wait step pause of 99999999d is longer than a timer can be (36500d)");
    assertThat(step(status, "pause").errorType()).isEqualTo(CutoverErrors.INVALID_CONFIG);

    // and deciding abort rolls back and fails the run with its result
    workflow.decideStep(new DecideRequest("pause", DecisionAction.ABORT, "fix the plan", "erin"));
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(run.commands).containsExactly("prep", "unprep");
  }

  @Test
  void aStepTimeoutTooLongFailsTheStepAndThePlanSaysAbort() {
    // given a run step with timeout 99999999d and onFailure: abort
    start(edited(n -> step(n, 1).put("timeout", HUGE_SECONDS)));

    // when it runs, then the step fails before any activity, and the run rolls back and fails
    WorkflowFailedException failed = runFails();
    assertThat(((ApplicationFailure) failed.getCause()).getOriginalMessage())
        .contains(
            "step stop failed and the plan says abort: the timeout of step stop of 99999999d is longer than a timer can be");
    assertThat(run.commands).containsExactly("prep", "unprep");
  }

  @Test
  void aWindowOpeningBeyondWhatATimerCanWaitForEndsTheRun() {
    // given a window that opens at the end of time
    start(
        edited(n -> ((ObjectNode) n.get("window")).put("notBefore", "+999999999-12-31T23:59:59Z")));

    // when the run reaches the window, then it rolls back and fails saying why
    WorkflowFailedException failed = runFails();
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(MigrationWorkflowImpl.MIGRATION_ABORTED);
    assertThat(failure.getOriginalMessage())
        .contains("the plan asks for a time the workflow cannot hold")
        .contains("is longer than a timer can be");
    MigrationResult result = MigrationResults.of(failed);
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(run.commands).containsExactly("prep", "unprep");
  }

  private WorkflowFailedException runFails() {
    try {
      untyped().getResult(MigrationResult.class);
    } catch (WorkflowFailedException e) {
      return e;
    }
    throw new AssertionError("the run did not fail");
  }

  private static ObjectNode step(ObjectNode plan, int index) {
    return (ObjectNode) plan.get("phases").get("downtime").get("steps").get(index);
  }

  /**
   * The valid plan, changed as its JSON (the workflow's input) where validate would have refused
   * it.
   */
  private static Plan edited(Consumer<ObjectNode> change) {
    ObjectMapper json = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    ObjectNode tree = json.valueToTree(Plans.parse(PLAN));
    change.accept(tree);
    try {
      return json.treeToValue(tree, Plan.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
