package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A parallel group runs its branches side by side, each step with its own retries, decisions and
 * undo; times are the workflow's recorded ones (timers in virtual time), never the wall clock.
 */
class ParallelGroupTest extends WorkflowTestSupport {
  static final String HEAD =
      """
      migration: fleet-dbs
      hosts: {old: {}, new: {}}
      phases:
        downtime:
          steps:
          - {name: stop, kind: run, host: old, command: stop}
      """;

  /** Commands that fail (retries spent) until the test takes them out. */
  private final Set<String> failing = ConcurrentHashMap.newKeySet();

  private void scriptFailures() {
    run.answer(
        r -> {
          if (r.command().equals("long")) {
            heartbeatUntilCanceled();
          }
          if (failing.contains(r.command())) {
            throw ApplicationFailure.newFailure(
                "step on host old: exit code 1; last output: broken " + r.command(),
                CutoverErrors.COMMAND_FAILED,
                new RunResult(1, "broken " + r.command(), 1, false));
          }
          return new RunResult(0, "ok " + r.command(), 1, false);
        });
  }

  /** A command that runs until the workflow cancels it: the heartbeat throws then. */
  private static void heartbeatUntilCanceled() {
    while (true) {
      Activity.getExecutionContext().heartbeat(null);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void twoBranchesRunSideBySideAndTheGroupEndsWithTheLongest() {
    // given a group of two branches, one of 10 minutes, one of 5 minutes and a command
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                HEAD
                    + """
            - name: copy
              kind: parallel
              branches:
                - name: finance
                  steps:
                    - {name: a1, kind: wait, duration: 10m}
                    - {name: a2, kind: run, host: new, command: a2}
                - name: hr
                  steps:
                    - {name: b1, kind: wait, duration: 5m}
                    - {name: b2, kind: run, host: new, command: b2}
            - {name: start, kind: run, host: new, command: start}
        """));

    // when it runs
    MigrationResult result = result();

    // then both branches began together, hr's second step ran while finance still waited
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    StepStatus a1 = step(result, "a1");
    StepStatus b1 = step(result, "b1");
    StepStatus b2 = step(result, "b2");
    StepStatus group = step(result, "copy");
    assertThat(b1.startedAt()).isEqualTo(a1.startedAt());
    assertThat(b2.startedAt()).isBefore(a1.endedAt());
    assertThat(Duration.between(group.startedAt(), group.endedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(10))
        .isLessThan(Duration.ofMinutes(15));
    assertThat(step(result, "start").startedAt()).isAfterOrEqualTo(step(result, "a2").endedAt());
    assertThat(run.commands).containsExactly("stop", "b2", "a2", "start");
    // and each nested step names its lane, listed after the group's own row in plan order
    assertThat(result.steps())
        .extracting(StepStatus::name)
        .containsExactly("stop", "copy", "a1", "a2", "b1", "b2", "start");
    assertThat(a1.group()).isEqualTo("copy");
    assertThat(a1.branch()).isEqualTo("finance");
    assertThat(b2.branch()).isEqualTo("hr");
    assertThat(group.group()).isNull();
    assertThat(group.state()).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void aLimitOfOneRunsTheBranchesOneAfterAnother() {
    // given the same shape with limit 1
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                HEAD
                    + """
            - name: copy
              kind: parallel
              limit: 1
              branches:
                - name: finance
                  steps:
                    - {name: a1, kind: wait, duration: 10m}
                    - {name: a2, kind: run, host: new, command: a2}
                - name: hr
                  steps:
                    - {name: b1, kind: wait, duration: 5m}
        """));

    // when it runs
    MigrationResult result = result();

    // then hr began only when finance had ended
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(step(result, "b1").startedAt()).isAfterOrEqualTo(step(result, "a2").endedAt());
    StepStatus group = step(result, "copy");
    assertThat(Duration.between(group.startedAt(), group.endedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aBlockedBranchWaitsWhileTheOtherFinishes() {
    // given a branch whose step fails and another that goes on
    failing.add("a1");
    scriptFailures();
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                HEAD
                    + """
            - name: copy
              kind: parallel
              branches:
                - name: finance
                  steps:
                    - {name: a1, kind: run, host: old, command: a1, retry: {maxAttempts: 1}}
                - name: hr
                  steps:
                    - {name: b1, kind: wait, duration: 1m}
                    - {name: b2, kind: run, host: new, command: b2}
            - {name: start, kind: run, host: new, command: start}
        """));

    // when finance's step has spent its retries
    MigrationStatus blocked =
        awaitStatus(
            workflow,
            s ->
                step(s, "a1").state() == StepState.BLOCKED
                    && step(s, "b2").state() == StepState.SUCCEEDED);

    // then hr has finished while finance waits for a decision, and the group has not ended
    assertThat(blocked.state()).isEqualTo(MigrationState.BLOCKED);
    assertThat(blocked.waitingFor()).isEqualTo("decision:a1");
    assertThat(step(blocked, "copy").state()).isEqualTo(StepState.RUNNING);
    assertThat(step(blocked, "start").state()).isEqualTo(StepState.PENDING);

    // when the cause is fixed and the operator retries
    failing.clear();
    workflow.decideStep(new DecideRequest("a1", DecisionAction.RETRY, "fixed", "bob"));

    // then the group ends and the phase goes on
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(step(result, "a1").state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(run.commands).endsWith("a1", "start");
  }

  @Test
  void eitherOfTwoBlockedStepsCanBeDecidedFirst() {
    // given two branches whose steps both fail
    failing.add("a1");
    failing.add("b1");
    scriptFailures();
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                HEAD
                    + """
            - name: copy
              kind: parallel
              branches:
                - name: finance
                  steps:
                    - {name: a1, kind: run, host: old, command: a1, retry: {maxAttempts: 1}}
                - name: hr
                  steps:
                    - {name: b1, kind: run, host: old, command: b1, retry: {maxAttempts: 1}}
                    - {name: b2, kind: run, host: new, command: b2}
        """));

    // when both have spent their retries
    MigrationStatus blocked =
        awaitStatus(
            workflow,
            s ->
                step(s, "a1").state() == StepState.BLOCKED
                    && step(s, "b1").state() == StepState.BLOCKED);

    // then status names both, with the decision to send for each
    assertThat(blocked.state()).isEqualTo(MigrationState.BLOCKED);
    // (in the order they blocked, which the activities' real timing decides)
    assertThat(blocked.waitingFor().split(", "))
        .containsExactlyInAnyOrder("decision:a1", "decision:b1");
    assertThat(blocked.nextAction())
        .contains("cutover decide " + ID + " a1 retry")
        .contains("cutover decide " + ID + " b1 retry");

    // and a decision for a step that is not blocked is refused, naming both that are
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> workflow.decideStep(new DecideRequest("b2", DecisionAction.RETRY, null, "bob")))
        .isInstanceOf(io.temporal.client.WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("step 'b2' is not waiting for a decision; the blocked steps are '")
        .hasMessageContaining("'a1'")
        .hasMessageContaining("'b1'");

    // when the operator skips the second one first
    workflow.decideStep(new DecideRequest("b1", DecisionAction.SKIP, "not needed", "bob"));

    // then that branch goes on while the first still waits
    MigrationStatus oneLeft =
        awaitStatus(workflow, s -> step(s, "b2").state() == StepState.SUCCEEDED);
    assertThat(oneLeft.waitingFor()).isEqualTo("decision:a1");
    assertThat(step(oneLeft, "b1").state()).isEqualTo(StepState.SKIPPED);

    // when the first is fixed and retried
    failing.clear();
    workflow.decideStep(new DecideRequest("a1", DecisionAction.RETRY, "fixed", "bob"));

    // then the migration completes
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(step(result, "a1").state()).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void abortMidGroupCancelsTheRunningBranchAndUndoesBothBranchesInReverse() {
    // given finance finished a1 and runs a long command, hr finished b1 and waits an hour
    scriptFailures();
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                HEAD
                    + """
            - name: copy
              kind: parallel
              branches:
                - name: finance
                  steps:
                    - {name: a1, kind: run, host: old, command: a1, undo: {kind: run, host: old, command: undo-a1}}
                    - {name: a2, kind: wait, duration: 1m}
                    - {name: a3, kind: run, host: old, command: long, undo: {kind: run, host: old, command: undo-a3}}
                - name: hr
                  steps:
                    - {name: b0, kind: wait, duration: 30s}
                    - {name: b1, kind: run, host: new, command: b1, undo: {kind: run, host: new, command: undo-b1}}
                    - {name: b2, kind: wait, duration: 1h}
                    - {name: b3, kind: run, host: new, command: b3}
        """));
    awaitStatus(
        workflow,
        s ->
            step(s, "a3").state() == StepState.RUNNING
                && step(s, "b1").state() == StepState.SUCCEEDED);

    // when an operator aborts
    AbortAccepted accepted = workflow.abortMigration(new AbortRequest("too slow", "dave"));

    // then the long command is cut short, nothing more starts, and every undo runs last finished
    // first: the cut-short a3, then hr's b1, then finance's a1
    assertThat(accepted.undo()).isTrue();
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(run.commands)
        .containsExactly("stop", "a1", "b1", "long", "undo-a3", "undo-b1", "undo-a1");
    assertThat(step(result, "a3").state()).isEqualTo(StepState.UNDONE);
    assertThat(step(result, "b1").state()).isEqualTo(StepState.UNDONE);
    assertThat(step(result, "a1").state()).isEqualTo(StepState.UNDONE);
    assertThat(step(result, "b2").state()).isEqualTo(StepState.FAILED);
    assertThat(step(result, "b3").state()).isEqualTo(StepState.PENDING);
  }

  @Test
  void onFailureAbortInOneBranchStopsTheOtherAndRollsBack() {
    // given finance's step aborts the run when it fails, while hr waits an hour
    failing.add("a2");
    scriptFailures();
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                HEAD
                    + """
            - name: copy
              kind: parallel
              branches:
                - name: finance
                  steps:
                    - {name: a1, kind: wait, duration: 1m}
                    - {name: a2, kind: run, host: old, command: a2, onFailure: abort, retry: {maxAttempts: 1}}
                - name: hr
                  steps:
                    - {name: b1, kind: run, host: new, command: b1, undo: {kind: run, host: new, command: undo-b1}}
                    - {name: b2, kind: wait, duration: 1h}
                    - {name: b3, kind: run, host: new, command: b3}
        """));

    // when it runs
    MigrationResult result = result();

    // then hr stops at once and what it finished is undone
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(result.abortReason()).contains("step a2 failed and the plan says abort");
    assertThat(run.commands).containsExactly("stop", "b1", "a2", "undo-b1");
    assertThat(step(result, "b3").state()).isEqualTo(StepState.PENDING);
    assertThat(step(result, "copy").state()).isEqualTo(StepState.FAILED);
  }

  @Test
  void onFailureContinueInOneBranchLetsTheBranchAndTheGroupGoOn() {
    // given finance's first step fails with onFailure continue
    failing.add("a1");
    scriptFailures();
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                HEAD
                    + """
            - name: copy
              kind: parallel
              branches:
                - name: finance
                  steps:
                    - {name: a1, kind: run, host: old, command: a1, onFailure: continue, retry: {maxAttempts: 1}}
                    - {name: a2, kind: run, host: old, command: a2}
                - name: hr
                  steps:
                    - {name: b1, kind: run, host: new, command: b1}
            - {name: start, kind: run, host: new, command: start}
        """));

    // when it runs
    MigrationResult result = result();

    // then the branch went on past the failure and the migration completed
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(step(result, "a1").state()).isEqualTo(StepState.FAILED);
    assertThat(step(result, "a2").state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(step(result, "copy").state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(run.commands).contains("a2", "b1", "start");
  }

  @Test
  void aGroupInARepeatingPhaseRunsEveryRoundAcrossContinueAsNew() {
    // given a presync of 3 rounds whose group copies two trees side by side, then a long monitor
    var plan =
        Plans.parse(
            """
        migration: repeat-groups
        hosts: {old: {}, new: {}}
        phases:
          presync:
            every: 1h
            rounds: 3
            steps:
              - name: sync
                kind: parallel
                branches:
                  - {name: files, steps: [{name: sync-files, kind: run, host: new, command: files}]}
                  - {name: mail, steps: [{name: sync-mail, kind: run, host: new, command: mail}]}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
          monitor:
            every: 10m
            for: 1d
            steps:
              - name: watch
                kind: parallel
                branches:
                  - {name: web, steps: [{name: watch-web, kind: run, host: new, command: web}]}
                  - {name: db, steps: [{name: watch-db, kind: run, host: new, command: db}]}
        """);

    // when it runs with a small history limit, so the loops continue as new
    start(new MigrationInput(plan, null, 200));
    MigrationResult result = result();

    // then every round ran both branches, and the last run still names each step's lane
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(run.commands.stream().filter("files"::equals).count()).isEqualTo(3);
    assertThat(run.commands.stream().filter("mail"::equals).count()).isEqualTo(3);
    assertThat(run.commands.stream().filter("web"::equals).count()).isEqualTo(144);
    assertThat(run.commands.stream().filter("db"::equals).count()).isEqualTo(144);
    assertThat(step(result, "watch-db").branch()).isEqualTo("db");
    assertThat(step(result, "watch-db").group()).isEqualTo("watch");
    assertThat(step(result, "sync-mail").state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(client.fetchHistory(ID).getHistory().getEventsCount()).isLessThan(400);
  }

  @Test
  void anAbortAfterANestedPointOfNoReturnHolds() {
    // given a branch whose step is the point of no return, and another that waits an hour
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                HEAD
                    + """
            - name: switch
              kind: parallel
              branches:
                - name: db
                  steps:
                    - {name: promote, kind: run, host: new, command: promote, pointOfNoReturn: true}
                - name: web
                  steps:
                    - {name: settle, kind: wait, duration: 1h}
                    - {name: flip, kind: run, host: new, command: flip}
        """));
    awaitStatus(
        workflow, s -> s.pointOfNoReturnPassed() && step(s, "settle").state() == StepState.RUNNING);

    // when an operator aborts
    AbortAccepted accepted = workflow.abortMigration(new AbortRequest("stop", "dave"));

    // then nothing is undone: the run holds
    assertThat(accepted.undo()).isFalse();
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.HELD);
    assertThat(run.commands).containsExactly("stop", "promote");
  }

  @Test
  void aRunWithAGroupReplaysAndMarksTheVersion() throws Exception {
    // given a completed run with a group
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                HEAD
                    + """
            - name: copy
              kind: parallel
              branches:
                - {name: finance, steps: [{name: a1, kind: run, host: old, command: a1}]}
                - {name: hr, steps: [{name: b1, kind: wait, duration: 1m}]}
        """));
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);

    // when its history is replayed, then it is deterministic and carries the version marker
    var history = client.fetchHistory(ID);
    io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(
        history, MigrationWorkflowImpl.class);
    assertThat(history.getEvents())
        .filteredOn(
            e ->
                e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_MARKER_RECORDED
                    && e.getMarkerRecordedEventAttributes().getDetailsMap().containsKey("changeId"))
        .extracting(
            e ->
                e.getMarkerRecordedEventAttributes()
                    .getDetailsMap()
                    .get("changeId")
                    .getPayloads(0)
                    .getData()
                    .toStringUtf8())
        .contains("\"" + StepExecutor.PARALLEL_GROUPS_CHANGE + "\"");
  }
}
