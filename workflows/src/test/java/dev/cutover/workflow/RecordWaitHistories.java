package dev.cutover.workflow;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records histories of the operator waits and the downtime clock that the other recorded histories
 * never reach: a gate's reminders and fail-closed deadline, the budget's gate and its abort while a
 * step is blocked, decisions by signal, an abort past the point of no return. Recorded from the v5
 * code before those waits became objects of their own, so {@link ReplayTest} proves the new code
 * issues the same commands: {@code ./mvnw -pl workflows test -Dtest=RecordWaitHistories
 * -Dcutover.recordHistories=src/test/resources/histories/v5}
 */
@EnabledIfSystemProperty(named = "cutover.recordHistories", matches = ".+")
class RecordWaitHistories extends WorkflowTestSupport {
  static final String NOTIFY =
      """
      secrets: {slack: env:SLACK_WEBHOOK}
      notifications: {webhook: slack, remindEvery: 30m}
      """;

  final RecordingNotifyActivities notify = new RecordingNotifyActivities();

  /** Commands that fail until a test lets them through. */
  final Set<String> failing = ConcurrentHashMap.newKeySet();

  @Override
  Object[] moreActivities() {
    return new Object[] {notify, new HostStepsFake()};
  }

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
  void remindedGateBudgetGateAndDecisions() throws Exception {
    failUntilFixed("restart", "warm");
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: recorded-waits
        hosts: {old: {}, new: {}}
        %s
        window: {downtimeBudget: 10m, onBudgetExceeded: ask}
        gates: [{name: go-downtime, before: downtime, deadline: 4h, description: check the presync}]
        phases:
          prepare: {steps: [{name: prep, kind: run, host: old, command: prep, undo: {kind: run, host: old, command: unprep}}]}
          downtime:
            steps:
              - {name: stop, kind: run, host: old, command: stop}
              - {name: slow-sync, kind: wait, duration: 15m}
              - {name: restart, kind: run, host: new, command: restart}
              - {name: warm, kind: run, host: new, command: warm}
          switch: {steps: [{name: flip, kind: run, host: old, command: flip, pointOfNoReturn: true}]}
          verify: {steps: [{name: check, kind: run, host: new, command: check}]}
        """
                    .formatted(NOTIFY)));
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    env.sleep(Duration.ofMinutes(75));
    untyped()
        .signal(
            CutoverNames.SIGNAL_APPROVE,
            new ApproveRequest("go-downtime", "after two reminders", null));
    awaitStatus(workflow, s -> ("gate:" + CutoverNames.BUDGET_GATE).equals(s.waitingFor()));
    workflow.approveGate(new ApproveRequest(CutoverNames.BUDGET_GATE, "almost there", "tester"));
    awaitStatus(workflow, s -> "decision:restart".equals(s.waitingFor()));
    failing.remove("restart");
    untyped()
        .signal(
            CutoverNames.SIGNAL_DECIDE,
            new DecideRequest("restart", DecisionAction.RETRY, "unit freed", "ops"));
    awaitStatus(workflow, s -> "decision:warm".equals(s.waitingFor()));
    untyped()
        .signal(
            CutoverNames.SIGNAL_DECIDE,
            new DecideRequest("warm", DecisionAction.SKIP, "cache warms itself", null));
    result();
    save("waits-reminders-budget-gate-decisions.json");
  }

  @Test
  void budgetAbortsWhileAStepIsBlocked() throws Exception {
    failUntilFixed("stop");
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: recorded-budget-abort
        hosts: {old: {}, new: {}}
        window: {downtimeBudget: 10m, onBudgetExceeded: abort}
        phases:
          prepare: {steps: [{name: prep, kind: run, host: old, command: prep, undo: {kind: run, host: old, command: unprep}}]}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
          switch: {steps: [{name: flip, kind: run, host: old, command: flip}]}
        """));
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);
    result();
    save("waits-budget-abort-while-blocked.json");
  }

  @Test
  void gateExpiresClosedAfterReminders() throws Exception {
    start(
        Plans.parse(
            """
        migration: recorded-gate-expiry
        hosts: {old: {}}
        %s
        gates: [{name: go, before: downtime, deadline: 1h}]
        phases:
          prepare: {steps: [{name: prep, kind: run, host: old, command: prep, undo: {kind: run, host: old, command: unprep}}]}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        """
                .formatted(NOTIFY)));
    result();
    save("waits-gate-expired.json");
  }

  @Test
  void decidedAbortPastThePointOfNoReturnHolds() throws Exception {
    failUntilFixed("check");
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: recorded-held
        hosts: {old: {}, new: {}}
        window: {downtimeBudget: 1h}
        phases:
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop, undo: {kind: run, host: old, command: start}}]}
          switch: {steps: [{name: flip, kind: run, host: old, command: flip, pointOfNoReturn: true}]}
          verify: {steps: [{name: check, kind: run, host: new, command: check}]}
        """));
    awaitStatus(workflow, s -> "decision:check".equals(s.waitingFor()));
    untyped()
        .signal(
            CutoverNames.SIGNAL_DECIDE,
            new DecideRequest("check", DecisionAction.ABORT, "the new host is wrong", "ops"));
    result();
    save("waits-decided-abort-held.json");
  }

  private void save(String name) throws Exception {
    Path dir = Path.of(System.getProperty("cutover.recordHistories"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), client.fetchHistory(ID).toJson(true));
  }
}
