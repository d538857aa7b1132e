package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.cli.CliTestServer.CliRun;
import dev.cutover.testing.ProcessCheck;
import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.DecisionAction;
import dev.cutover.workflow.GateState;
import dev.cutover.workflow.GateStatus;
import dev.cutover.workflow.MigrationResult;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.StepState;
import dev.cutover.workflow.StepStatus;
import io.temporal.client.WorkflowNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a real (in-process) Temporal server and worker: every command goes over gRPC to
 * the real workflow, whose steps run real processes. Each test drives its own migration.
 */
@ExtendWith(CliTestServer.class)
class CliTest {
  /** Two gates around a short wait, so a test can stop the run at a gate and watch it move on. */
  static final String GATED_PLAN =
      """
      migration: ${migration}
      hosts: {old: {transport: local}}
      gates:
        - {name: go-downtime, before: downtime, description: presync is green}
        - {name: go-live, before: switch}
      phases:
        prepare:  {steps: [{name: prep, kind: run, host: old, command: echo prepared}]}
        downtime: {steps: [{name: settle, kind: wait, duration: 1s}]}
        switch:   {steps: [{name: flip, kind: run, host: old, command: echo flipped}]}
      """;

  @TempDir Path dir;

  private final CliTestServer server;

  CliTest(CliTestServer server) {
    this.server = server;
  }

  @Test
  void startThenStatusShowsTheOpenGateAndJsonParses() throws Exception {
    // given a plan with a gate before the downtime
    String migration = CliTestServer.uniqueName("status");
    String id = CutoverNames.workflowId(migration);
    Path plan = CliTestServer.writePlan(dir, migration, GATED_PLAN);

    // when it is started and the run reaches the gate
    CliRun start = server.connected("start", plan.toString());
    assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCode.OK);
    assertThat(start.out())
        .startsWith("started " + id + " (run ")
        .contains("cutover status " + id + " --watch");
    server.awaitStatus(id, s -> s.state() == MigrationState.WAITING_FOR_GATE);
    CliRun json = server.connected("status", id, "--json");
    CliRun text = server.connected("status", id);

    // then --json is JSON a script can read: state, phase, the open gate and what to send
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCode.OK);
    JsonNode status = new ObjectMapper().readTree(json.out());
    assertThat(status.get("migration").asText()).isEqualTo(migration);
    assertThat(status.get("state").asText()).isEqualTo("WAITING_FOR_GATE");
    assertThat(status.get("phase").asText()).isEqualTo("downtime");
    assertThat(status.get("waitingFor").asText()).isEqualTo("gate:go-downtime");
    assertThat(status.get("nextAction").asText())
        .contains("cutover approve " + id + " go-downtime");
    assertThat(status.get("steps"))
        .extracting(s -> s.get("name").asText())
        .containsExactly("prep", "settle", "flip");
    assertThat(status.get("steps").get(0).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(status.get("steps").get(0).get("outputTail").asText()).isEqualTo("prepared");
    assertThat(status.get("gates").get(0).get("state").asText()).isEqualTo("OPEN");
    // and the text form tells a person the same, with both ways to approve
    assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCode.OK);
    assertThat(text.out())
        .contains("Migration " + migration + "  (" + id + ")")
        .contains("State:  waiting for gate    Phase: downtime")
        .contains("Waiting for gate:go-downtime:")
        .contains("cutover approve " + id + " go-downtime --comment '...'")
        .contains(
            "in the Temporal UI Send an Update 'approveGate' with {\"gate\": \"go-downtime\", \"comment\": \"...\"}");
  }

  @Test
  void approveOfTheOpenGateSucceedsAndTheRunMovesOn() {
    // given a run waiting at its first gate
    String id = startAndAwaitGate(GATED_PLAN, "go-downtime");

    // when an operator approves it from the CLI
    CliRun approve = server.connected("approve", id, "go-downtime", "--comment", "presync checked");

    // then the CLI confirms, and the run goes through the downtime to the next gate
    assertThat(approve.exitCode()).as(approve.toString()).isEqualTo(ExitCode.OK);
    assertThat(approve.out()).startsWith("approved gate go-downtime of " + id + " at ");
    MigrationStatus status = server.awaitStatus(id, s -> "gate:go-live".equals(s.waitingFor()));
    assertThat(step(status, "settle").state()).isEqualTo(StepState.SUCCEEDED);
    // and the approval is recorded with the comment and who gave it
    GateStatus gate = status.gates().get(0);
    assertThat(gate.state()).isEqualTo(GateState.APPROVED);
    assertThat(gate.comment()).isEqualTo("presync checked");
    assertThat(gate.by()).endsWith("(cutover cli)");

    // when the second gate is approved too
    CliRun second = server.connected("approve", id, "go-live");

    // then the run completes with every step done
    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCode.OK);
    MigrationResult result = server.awaitResult(id);
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(result.steps()).extracting(StepStatus::state).containsOnly(StepState.SUCCEEDED);
  }

  @Test
  void approveOfAnUnknownOrNotYetOpenGateIsRejectedWithTheReason() {
    // given a run waiting at go-downtime
    String id = startAndAwaitGate(GATED_PLAN, "go-downtime");

    // when someone approves a gate that does not exist
    CliRun unknown = server.connected("approve", id, "go-typo");
    // and one that exists but is not open yet
    CliRun early = server.connected("approve", id, "go-live");

    // then both are refused with exit 3 and the workflow's own reason
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCode.REJECTED);
    assertThat(unknown.err().strip())
        .isEqualTo(
            "cutover: approval of gate go-typo rejected by "
                + id
                + ": no gate named 'go-typo'; gates in this plan: go-downtime, go-live");
    assertThat(early.exitCode()).as(early.toString()).isEqualTo(ExitCode.REJECTED);
    assertThat(early.err().strip())
        .isEqualTo(
            "cutover: approval of gate go-live rejected by "
                + id
                + ": gate 'go-live' is not open yet: it opens before phase switch and the migration is in phase downtime");
    // and the run still waits where it was, with go-live untouched
    MigrationStatus status = server.status(id);
    assertThat(status.waitingFor()).isEqualTo("gate:go-downtime");
    assertThat(status.gates())
        .extracting(GateStatus::state)
        .containsExactly(GateState.OPEN, GateState.PENDING);
  }

  @Test
  void approveOfAnAlreadyApprovedGateIsRejected() {
    // given a run whose first gate was approved and that now waits at the second
    String id = startAndAwaitGate(GATED_PLAN, "go-downtime");
    assertThat(server.connected("approve", id, "go-downtime").exitCode()).isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> "gate:go-live".equals(s.waitingFor()));

    // when someone approves the first gate again (two people on call)
    CliRun again = server.connected("approve", id, "go-downtime");

    // then exit 3 says it was already approved, and by whom
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.REJECTED);
    assertThat(again.err())
        .contains("gate 'go-downtime' was already approved at ")
        .contains("(cutover cli)");
  }

  @Test
  void rawApproveSignalAsTheTemporalUiSendsItOpensTheGate() {
    // given a run waiting at its first gate
    String id = startAndAwaitGate(GATED_PLAN, "go-downtime");

    // when someone sends signal 'approve' with one JSON argument, as from the Temporal UI
    server
        .untyped(id)
        .signal(
            CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go-downtime", "from the UI", null));

    // then the gate opens and the run moves on to the next gate
    MigrationStatus status = server.awaitStatus(id, s -> "gate:go-live".equals(s.waitingFor()));
    assertThat(status.gates().get(0).state()).isEqualTo(GateState.APPROVED);
    assertThat(status.gates().get(0).comment()).isEqualTo("from the UI");

    // when the next one is approved with just the JSON a person types: {"gate": ..., "comment":
    // ...}
    server
        .untyped(id)
        .signal(CutoverNames.SIGNAL_APPROVE, Map.of("gate", "go-live", "comment", "typed by hand"));

    // then the run completes
    assertThat(server.awaitResult(id).outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(server.status(id).gates().get(1).comment()).isEqualTo("typed by hand");
  }

  @Test
  void failingStepBlocksAndDecideRetryRecoversItOnceTheCauseIsFixed() throws Exception {
    // given a step that fails until a file exists, with a single attempt so it blocks at once
    Path needed = dir.resolve("needed-file");
    String migration = CliTestServer.uniqueName("decide");
    String id = CutoverNames.workflowId(migration);
    Path plan =
        CliTestServer.writePlan(
            dir,
            migration,
            """
        migration: ${migration}
        hosts: {old: {transport: local}}
        phases:
          prepare:
            steps:
              - name: check-file
                kind: run
                host: old
                command: test -f '%s'
                retry: {maxAttempts: 1}
              - {name: after, kind: run, host: old, command: echo after}
        """
                .formatted(needed));
    assertThat(server.connected("start", plan.toString()).exitCode()).isEqualTo(ExitCode.OK);

    // when the step fails, the run blocks and status says what to send
    MigrationStatus blocked = server.awaitStatus(id, s -> s.state() == MigrationState.BLOCKED);
    assertThat(blocked.waitingFor()).isEqualTo("decision:check-file");
    assertThat(step(blocked, "check-file").state()).isEqualTo(StepState.BLOCKED);
    assertThat(step(blocked, "check-file").exitCode()).isEqualTo(1);
    assertThat(step(blocked, "after").state()).isEqualTo(StepState.PENDING);
    CliRun text = server.connected("status", id);
    assertThat(text.out())
        .contains("Waiting for decision:check-file:")
        .contains("cutover decide " + id + " check-file retry|skip|abort");

    // when the operator fixes the cause and decides retry
    Files.writeString(needed, "here");
    CliRun decide =
        server.connected("decide", id, "check-file", "retry", "--comment", "file restored");

    // then the CLI confirms, the step passes on its second try and the run completes
    assertThat(decide.exitCode()).as(decide.toString()).isEqualTo(ExitCode.OK);
    assertThat(decide.out().strip()).isEqualTo("decided retry for step check-file of " + id);
    MigrationResult result = server.awaitResult(id);
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    StepStatus check =
        result.steps().stream()
            .filter(s -> s.name().equals("check-file"))
            .findFirst()
            .orElseThrow();
    assertThat(check.state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(check.attempts()).isEqualTo(2);
    // and the decision is on record with its comment
    assertThat(server.status(id).decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.step()).isEqualTo("check-file");
              assertThat(d.action()).isEqualTo(DecisionAction.RETRY);
              assertThat(d.comment()).isEqualTo("file restored");
            });
  }

  @Test
  void decideOnAStepThatIsNotBlockedIsRejected() {
    // given a run waiting at a gate, so no step waits for a decision
    String id = startAndAwaitGate(GATED_PLAN, "go-downtime");

    // when someone decides on a step anyway
    CliRun decide = server.connected("decide", id, "prep", "retry");

    // then exit 3 says nothing is blocked, and the run is untouched
    assertThat(decide.exitCode()).as(decide.toString()).isEqualTo(ExitCode.REJECTED);
    assertThat(decide.err().strip())
        .isEqualTo(
            "cutover: decision on step prep rejected by "
                + id
                + ": no step is waiting for a decision");
    assertThat(server.status(id).decisions()).isEmpty();
    assertThat(server.status(id).waitingFor()).isEqualTo("gate:go-downtime");
  }

  @Test
  void decideOnAnotherStepThanTheBlockedOneNamesTheBlockedStep() throws Exception {
    // given a run blocked on check-file
    String migration = CliTestServer.uniqueName("decide-other");
    String id = CutoverNames.workflowId(migration);
    Path plan =
        CliTestServer.writePlan(
            dir,
            migration,
            """
        migration: ${migration}
        hosts: {old: {transport: local}}
        phases:
          prepare:
            steps:
              - {name: check-file, kind: run, host: old, command: 'false', retry: {maxAttempts: 1}}
              - {name: after, kind: run, host: old, command: echo after}
        """);
    assertThat(server.connected("start", plan.toString()).exitCode()).isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> s.state() == MigrationState.BLOCKED);

    // when the operator names the wrong step, or an action that does not exist
    CliRun wrongStep = server.connected("decide", id, "after", "skip");
    CliRun wrongAction = server.connected("decide", id, "check-file", "redo");

    // then the wrong step is refused by the workflow (exit 3) naming the blocked one,
    // and the bad action is refused by the CLI before anything is sent (exit 2)
    assertThat(wrongStep.exitCode()).as(wrongStep.toString()).isEqualTo(ExitCode.REJECTED);
    assertThat(wrongStep.err())
        .contains("step 'after' is not waiting for a decision; the blocked step is 'check-file'");
    assertThat(wrongAction.exitCode()).as(wrongAction.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(wrongAction.err().strip())
        .isEqualTo("cutover: unknown action 'redo'; expected retry, skip or abort");
    assertThat(server.status(id).state()).isEqualTo(MigrationState.BLOCKED);

    // when the operator skips the right step
    CliRun skip = server.connected("decide", id, "check-file", "skip");

    // then the run goes on past it and completes
    assertThat(skip.exitCode()).as(skip.toString()).isEqualTo(ExitCode.OK);
    MigrationResult result = server.awaitResult(id);
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(result.steps())
        .extracting(StepStatus::state)
        .containsExactly(StepState.SKIPPED, StepState.SUCCEEDED);
  }

  @Test
  void abortWithReasonRunsTheUndoOfFinishedSteps() throws Exception {
    // given a run past a step whose undo leaves a marker, now waiting at a gate
    Path did = dir.resolve("did");
    Path undone = dir.resolve("undone");
    String id =
        startAndAwaitGate(
            """
        migration: ${migration}
        hosts: {old: {transport: local}}
        gates: [{name: go, before: downtime}]
        phases:
          prepare:
            steps:
              - name: change
                kind: run
                host: old
                command: echo done > '%s'
                undo: {kind: run, host: old, command: echo undone > '%s'}
          downtime: {steps: [{name: stop, kind: run, host: old, command: 'true'}]}
        """
                .formatted(did, undone),
            "go");
    assertThat(did).exists();

    // when the operator aborts with a reason
    CliRun abort = server.connected("abort", id, "--reason", "window moved");

    // then the CLI says the run will undo, the run ends aborted and the undo really ran
    assertThat(abort.exitCode()).as(abort.toString()).isEqualTo(ExitCode.OK);
    assertThat(abort.out().strip())
        .isEqualTo("aborting " + id + ": the run stops and undoes 1 finished step(s) in reverse");
    MigrationResult result = server.awaitResult(id);
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(result.abortReason()).startsWith("window moved (by ").endsWith("(cutover cli))");
    assertThat(undone).hasContent("undone");
    assertThat(result.steps())
        .filteredOn(s -> s.name().equals("change"))
        .extracting(StepStatus::state)
        .containsExactly(StepState.UNDONE);
    assertThat(result.steps())
        .filteredOn(s -> s.name().equals("stop"))
        .extracting(StepStatus::state)
        .containsExactly(StepState.PENDING);

    // when someone aborts the ended run again
    CliRun again = server.connected("abort", id, "--reason", "twice");

    // then it fails with one line: the run has ended, so there is nothing left to abort
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(again.err().strip()).isEqualTo("cutover: no running migration with id " + id);
  }

  @Test
  void abortDuringARunningCommandKillsItAndEndsAborted() throws Exception {
    // given a run whose step is a long command with a child process, started by a shell that
    // records both pids
    Path shellPid = dir.resolve("shell.pid");
    Path childPid = dir.resolve("child.pid");
    Path undone = dir.resolve("undone");
    String migration = CliTestServer.uniqueName("abort-running");
    String id = CutoverNames.workflowId(migration);
    Path plan =
        CliTestServer.writePlan(
            dir,
            migration,
            """
        migration: ${migration}
        hosts: {old: {transport: local}}
        phases:
          prepare:
            steps:
              - name: long-copy
                kind: run
                host: old
                command: echo $$ > '%s'; sleep 300 & echo $! > '%s'; wait
                undo: {kind: run, host: old, command: echo undone > '%s'}
        """
                .formatted(shellPid, childPid, undone));
    assertThat(server.connected("start", plan.toString()).exitCode()).isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> "long-copy".equals(s.currentStep()) && Files.exists(childPid));

    // when the operator aborts while it runs
    CliRun abort = server.connected("abort", id, "--reason", "wrong source");

    // then the run ends aborted and the step's (idempotent) undo ran, since a command killed
    // midway may have half-applied
    assertThat(abort.exitCode()).as(abort.toString()).isEqualTo(ExitCode.OK);
    MigrationResult result = server.awaitResult(id);
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(result.abortReason()).startsWith("wrong source");
    assertThat(result.steps())
        .singleElement()
        .extracting(StepStatus::state)
        .isEqualTo(StepState.UNDONE);
    assertThat(undone).hasContent("undone");
    // and no process of the step is left on the host
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(shellPid)))
        .as("shell is gone")
        .isTrue();
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(childPid)))
        .as("child 'sleep 300' is gone")
        .isTrue();
  }

  @Test
  void abortWithoutReasonIsInvalidInput() {
    // when abort is called without the required --reason
    CliRun abort = server.connected("abort", "cutover-whatever");

    // then picocli refuses it before contacting anyone
    assertThat(abort.exitCode()).as(abort.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(abort.err()).contains("Missing required option: '--reason=TEXT'");
  }

  @Test
  void listShowsTheRunningMigration() throws Exception {
    // given a run waiting at a gate
    String id = startAndAwaitGate(GATED_PLAN, "go-downtime");

    // when the operator lists migrations
    CliRun table = server.connected("list");
    CliRun json = server.connected("list", "--json");

    // then the run is listed as running with its start time. The embedded server has only the old
    // visibility API: the CLI falls back to ListOpenWorkflowExecutions, whose answer here carries
    // no
    // search attributes, so PHASE and WAITING FOR print "-" (see listWaitingShowsTheRunAtAGate).
    assertThat(table.exitCode()).as(table.toString()).isEqualTo(ExitCode.OK);
    assertThat(table.out())
        .startsWith(
            String.format(
                "%-36s %-10s %-12s %-28s %s%n", "ID", "STATUS", "PHASE", "WAITING FOR", "STARTED"));
    assertThat(table.out().lines())
        .anySatisfy(
            line -> assertThat(line).startsWith(String.format("%-36s %-10s ", id, "running")));
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCode.OK);
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertThat(rows.isArray()).isTrue();
    assertThat(rows)
        .anySatisfy(
            row -> {
              assertThat(row.get("workflowId").asText()).isEqualTo(id);
              assertThat(row.get("status").asText()).isEqualTo("running");
              assertThat(java.time.Instant.parse(row.get("started").asText())).isNotNull();
            });
  }

  @Test
  void listWaitingShowsTheRunAtAGateAndLeavesOutARunOnATimer() {
    // given a run on a long durable timer (nobody needs to act) and one waiting at a gate
    String timerMigration = CliTestServer.uniqueName("timer");
    String timerId = CutoverNames.workflowId(timerMigration);
    Path plan =
        CliTestServer.writePlan(
            dir,
            timerMigration,
            """
        migration: ${migration}
        hosts: {old: {transport: local}}
        phases:
          prepare: {steps: [{name: nap, kind: wait, duration: 1h}]}
        """);
    assertThat(server.connected("start", plan.toString()).exitCode()).isEqualTo(ExitCode.OK);
    server.awaitStatus(timerId, s -> s.state() == MigrationState.WAITING);
    String gatedId = startAndAwaitGate(GATED_PLAN, "go-downtime");

    try {
      // when listing only the runs waiting for a person
      CliRun waiting = server.connected("list", "--waiting");

      // then the gated run is there with its phase and gate, and the sleeping one is not
      assertThat(waiting.exitCode()).as(waiting.toString()).isEqualTo(ExitCode.OK);
      assertThat(waiting.out().lines())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith(
                          String.format(
                              "%-36s %-10s %-12s %-28s ",
                              gatedId, "running", "downtime", "gate:go-downtime")));
      assertThat(waiting.out()).doesNotContain(timerId);
    } finally {
      server.untyped(timerId).terminate("test done");
    }
  }

  @Test
  void secondStartOfTheSameMigrationIsRefused() {
    // given a migration that is running
    String migration = CliTestServer.uniqueName("twice");
    String id = CutoverNames.workflowId(migration);
    Path plan = CliTestServer.writePlan(dir, migration, GATED_PLAN);
    assertThat(server.connected("start", plan.toString()).exitCode()).isEqualTo(ExitCode.OK);

    // when the same plan is started again (someone else in the team, or a double click)
    CliRun again = server.connected("start", plan.toString());

    // then it is refused with one clear line that says where to look, and nothing else started
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(again.err().strip())
        .isEqualTo(
            "cutover: a migration with id "
                + id
                + " is already running; see `cutover status "
                + id
                + "`, or pass --id");
    assertThat(again.out()).isEmpty();

    // when the operator follows the advice and passes another id
    CliRun other = server.connected("start", plan.toString(), "--id", id + "-b");

    // then that one starts, under the given id
    assertThat(other.exitCode()).as(other.toString()).isEqualTo(ExitCode.OK);
    assertThat(other.out()).startsWith("started " + id + "-b (run ");
    assertThat(
            server
                .awaitStatus(id + "-b", s -> s.state() == MigrationState.WAITING_FOR_GATE)
                .migration())
        .isEqualTo(migration);
  }

  @Test
  void startOfAnInvalidPlanStartsNothing() throws Exception {
    // given a plan with an unknown host
    String migration = CliTestServer.uniqueName("invalid");
    Path plan =
        CliTestServer.writePlan(
            dir,
            migration,
            """
        migration: ${migration}
        hosts: {old: {transport: local}}
        phases:
          prepare: {steps: [{name: s, kind: run, host: nowhere, command: 'true'}]}
        """);

    // when it is started
    CliRun start = server.connected("start", plan.toString());

    // then it exits 2 with the problem, and no workflow exists: never a half-started migration
    assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(start.err())
        .contains(plan + ":4:")
        .contains("unknown host 'nowhere'")
        .contains("nothing was started");
    assertThatThrownBy(() -> server.untyped(CutoverNames.workflowId(migration)).describe())
        .isInstanceOf(WorkflowNotFoundException.class);
  }

  @Test
  void statusOfAnUnknownIdExits1() {
    // when asking for a migration that does not exist
    CliRun status = server.connected("status", "cutover-never-started");

    // then one line says so
    assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(status.err().strip())
        .isEqualTo("cutover: no migration with id cutover-never-started in namespace default");
  }

  @Test
  void approveOnAnUnknownIdExits1() {
    // when approving a gate of a migration that does not exist
    CliRun approve = server.connected("approve", "cutover-never-started", "go");

    // then one line says so, no stack trace
    assertThat(approve.exitCode()).as(approve.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(approve.err().lines().toList())
        .singleElement()
        .asString()
        .contains("cutover-never-started");
    assertThat(approve.err()).doesNotContain("\tat ");
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Starts the plan through the CLI and waits until the run waits at the named gate. */
  private String startAndAwaitGate(String yaml, String gate) {
    String migration = CliTestServer.uniqueName("gate");
    String id = CutoverNames.workflowId(migration);
    Path plan = CliTestServer.writePlan(dir, migration, yaml);
    CliRun start = server.connected("start", plan.toString());
    assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> ("gate:" + gate).equals(s.waitingFor()));
    return id;
  }

  private static StepStatus step(MigrationStatus status, String name) {
    return status.steps().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no step " + name + " in " + status.steps()));
  }
}
