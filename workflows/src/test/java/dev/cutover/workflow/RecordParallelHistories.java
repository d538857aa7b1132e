package dev.cutover.workflow;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records histories of parallel groups (the first code that runs them), so {@link ReplayTest} keeps
 * later changes from altering the commands a group issues: branches side by side with a limit, a
 * step blocked in one branch while the other goes on, a decision, and an abort mid-group that
 * undoes both branches. {@code ./mvnw -pl workflows -am test -Dtest=RecordParallelHistories
 * -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcutover.recordHistories=src/test/resources/histories/v8}
 */
@EnabledIfSystemProperty(named = "cutover.recordHistories", matches = ".+")
class RecordParallelHistories extends WorkflowTestSupport {
  static final String PLAN =
      """
      migration: recorded-groups
      hosts: {old: {}, new: {}}
      phases:
        downtime:
          steps:
          - {name: stop, kind: run, host: old, command: stop, undo: {kind: run, host: old, command: start}}
          - name: copy
            kind: parallel
            limit: 2
            branches:
              - name: finance
                steps:
                  - {name: copy-finance, kind: run, host: new, command: copy-finance, undo: {kind: run, host: new, command: drop-finance}}
                  - {name: check-finance, kind: run, host: new, command: check-finance}
              - name: hr
                steps:
                  - {name: settle-hr, kind: wait, duration: 5m}
                  - {name: copy-hr, kind: run, host: new, command: copy-hr, undo: {kind: run, host: new, command: drop-hr}}
              - name: tenders
                steps:
                  - {name: copy-tenders, kind: run, host: new, command: copy-tenders}
                  - {name: settle-tenders, kind: wait, duration: 1h}
          - {name: start-new, kind: run, host: new, command: start-new}
      """;

  /** Commands that fail until a test lets them through. */
  final Set<String> failing = ConcurrentHashMap.newKeySet();

  private void failUntilFixed(String... commands) {
    failing.addAll(Set.of(commands));
    run.answer(
        r -> {
          if (failing.contains(r.command())) {
            throw ApplicationFailure.newNonRetryableFailure(
                "exit code 1", CutoverErrors.COMMAND_FAILED, new RunResult(1, "busy", 1, false));
          }
          return new RunResult(0, "ok", 1, false);
        });
  }

  @Test
  void aBlockedBranchDecidedWhileTheOthersRun() throws Exception {
    failUntilFixed("check-finance");
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(
        workflow,
        s ->
            step(s, "check-finance").state() == StepState.BLOCKED
                && step(s, "copy-hr").state() == StepState.SUCCEEDED);
    failing.clear();
    workflow.decideStep(new DecideRequest("check-finance", DecisionAction.RETRY, "fixed", "bob"));
    result();
    save("parallel-blocked-and-decided.json");
  }

  @Test
  void anAbortMidGroupUndoesEveryBranch() throws Exception {
    failUntilFixed();
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(
        workflow,
        s ->
            step(s, "copy-hr").state() == StepState.SUCCEEDED
                && step(s, "settle-tenders").state() == StepState.RUNNING);
    workflow.abortMigration(new AbortRequest("window closed", "dave"));
    result();
    save("parallel-aborted.json");
  }

  private void save(String name) throws Exception {
    Path dir = Path.of(System.getProperty("cutover.recordHistories"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), client.fetchHistory(ID).toJson(true));
  }
}
