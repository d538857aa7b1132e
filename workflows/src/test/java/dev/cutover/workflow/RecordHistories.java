package dev.cutover.workflow;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories {@link ReplayTest} replays. Run it once per released workflow version (v2:
 * host steps, preflight behind its version marker; v4: the last version whose notes were unbounded;
 * v5: bounded state, put cleanup; v6: facts for the report; v7: verified approvals; v8: fleets and
 * parallel groups): {@code ./mvnw -pl workflows test -Dtest=RecordHistories
 * -Dcutover.recordHistories=src/test/resources/histories/v1}
 */
@EnabledIfSystemProperty(named = "cutover.recordHistories", matches = ".+")
class RecordHistories extends WorkflowTestSupport {

  @Test
  void cleanRunWithGatesPresyncAndMonitor() throws Exception {
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: recorded-clean
        hosts: {old: {}, new: {}}
        window: {downtimeBudget: 30m}
        gates: [{name: go-downtime, before: downtime}, {name: go-live, before: switch}]
        phases:
          prepare: {steps: [{name: check, kind: run, host: old, command: check}]}
          lower-ttl: {oldTtl: 1h, steps: [{name: lower, kind: run, host: old, command: lower, undo: {kind: run, host: old, command: raise}}]}
          presync: {every: 2h, rounds: 2, steps: [{name: sync, kind: run, host: new, command: sync}]}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}, {name: settle, kind: wait, duration: 1m}]}
          switch: {steps: [{name: flip, kind: run, host: old, command: flip, pointOfNoReturn: true}]}
          verify: {steps: [{name: verify, kind: run, host: new, command: verify}]}
          monitor: {every: 10m, for: 1h, steps: [{name: watch, kind: run, host: new, command: watch}]}
          finish: {steps: [{name: restore, kind: run, host: old, command: restore}]}
        """));
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    untyped()
        .signal(
            CutoverNames.SIGNAL_APPROVE,
            new ApproveRequest("go-downtime", "signal from the UI", null));
    awaitStatus(workflow, s -> "gate:go-live".equals(s.waitingFor()));
    workflow.approveGate(new ApproveRequest("go-live", "update from the CLI", "tester"));
    result();
    save("clean-run.json");
  }

  @Test
  void failureDecisionsAndAbortWithUndo() throws Exception {
    AtomicBoolean fixed = new AtomicBoolean();
    run.answer(
        r -> {
          if (r.command().equals("flaky") && !fixed.get()) {
            throw ApplicationFailure.newFailure(
                "exit code 1",
                CutoverErrors.COMMAND_FAILED,
                new RunResult(1, "no space", 1, false));
          }
          return new RunResult(0, "", 1, false);
        });
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: recorded-abort
        hosts: {old: {}}
        gates: [{name: go, before: downtime}]
        phases:
          prepare:
            steps:
              - {name: one, kind: run, host: old, command: one, undo: {kind: run, host: old, command: undo-one}}
              - {name: flaky, kind: run, host: old, command: flaky, retry: {maxAttempts: 2, initialInterval: 1s}}
              - {name: skippable, kind: run, host: old, command: flaky, retry: {maxAttempts: 1}}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        """));
    awaitStatus(workflow, s -> "decision:flaky".equals(s.waitingFor()));
    fixed.set(false);
    workflow.decideStep(new DecideRequest("flaky", DecisionAction.RETRY, "try again", "tester"));
    awaitStatus(
        workflow, s -> s.decisions().size() == 1 && "decision:flaky".equals(s.waitingFor()));
    fixed.set(true);
    untyped()
        .signal(
            CutoverNames.SIGNAL_DECIDE,
            new DecideRequest("flaky", DecisionAction.RETRY, "fixed", null));
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);
    workflow.abortMigration(new AbortRequest("not tonight", "tester"));
    result();
    save("failures-and-abort.json");
  }

  @Test
  void continuedRun() throws Exception {
    start(
        new MigrationInput(
            Plans.parse(
                """
        migration: recorded-continued
        hosts: {new: {}}
        phases:
          monitor: {every: 10m, for: 4h, steps: [{name: watch, kind: run, host: new, command: watch}]}
        """),
            null,
            100));
    result();
    save("continued-last-run.json");
  }

  @Test
  void hostStepsWithPreflightPresyncStatisticsAndBuiltInUndo() throws Exception {
    run.answer(
        r -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "app does not start", CutoverErrors.COMMAND_FAILED);
        });
    MigrationWorkflow workflow = start(HostStepsTest.PLAN);
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    workflow.approveGate(new ApproveRequest("go-downtime", null, null));
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);
    workflow.abortMigration(new AbortRequest("recorded abort", "tester"));
    result();
    save("host-steps-abort.json");
  }

  /**
   * A monitor that fails under onFailure: continue and gets ignored signals, continued as new: the
   * checkpoint carries notes.
   */
  @Test
  void monitorWithContinuedFailuresAndIgnoredSignals() throws Exception {
    run.answer(
        r -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "check failed", CutoverErrors.COMMAND_FAILED, new RunResult(1, "503", 1, false));
        });
    MigrationWorkflow workflow =
        start(
            new MigrationInput(
                Plans.parse(
                    """
        migration: recorded-noisy-monitor
        hosts: {new: {}}
        gates: [{name: go, before: monitor}]
        phases:
          monitor: {every: 10m, for: 3h, steps: [{name: web, kind: run, host: new, command: web, onFailure: continue, retry: {maxAttempts: 1}}]}
        """),
                null,
                120));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));
    untyped()
        .signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("no-such-gate", "typo", "tester"));
    untyped()
        .signal(
            CutoverNames.SIGNAL_DECIDE, new DecideRequest("web", DecisionAction.RETRY, null, null));
    workflow.approveGate(new ApproveRequest("go", "watch it", "tester"));
    result();
    save("noisy-monitor-continued.json");
  }

  /**
   * v5: a completed run with put steps (their backups removed at the end, behind its version
   * marker) that gets hostile signals: an oversized gate name, a payload of the wrong shape and a
   * misspelled signal name, all noted in short under the bounded-state version.
   */
  @Test
  void completedRunWithPutCleanupAndHostileSignals() throws Exception {
    MigrationWorkflow workflow =
        start(
            new MigrationInput(
                Plans.parse(
                    """
        migration: recorded-puts
        hosts: {new: {transport: local}}
        gates: [{name: go, before: switch}]
        phases:
          prepare:
            steps:
              - {name: app-conf, kind: put, host: new, path: /etc/app/conf.d/app.conf, content: "x=1"}
              - {name: kept, kind: put, host: new, path: /etc/app/kept.conf, content: "y=2", keepBackup: true}
          switch: {steps: [{name: flip, kind: run, host: new, command: flip}]}
        """),
                null,
                120));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));
    untyped()
        .signal(
            CutoverNames.SIGNAL_APPROVE,
            new ApproveRequest("g".repeat(5_000), "too long a name", "tester"));
    untyped().signal(CutoverNames.SIGNAL_APPROVE, java.util.List.of("not", "an", "object"));
    untyped().signal("aprove", new ApproveRequest("go", "misspelled", "tester"));
    workflow.approveGate(new ApproveRequest("go", "now", "tester"));
    result();
    save("puts-and-hostile-signals.json");
  }

  /**
   * v6: the run records facts for the report (the step of each activity in its header, each
   * signal's judgement in a marker): a retry decided by update and by signal, approvals ignored
   * (too early, a name far too long, a payload of the wrong shape, already approved) and accepted,
   * a misspelled signal, a wait step, presync rounds, and an abort that runs the undos.
   */
  @Test
  void factsOfStepsAndOperatorMessagesWithDecisionsAndUndo() throws Exception {
    AtomicBoolean fixed = new AtomicBoolean();
    run.answer(
        r ->
            switch (r.command()) {
              case "migrate" -> {
                if (!fixed.get()) {
                  throw ApplicationFailure.newFailure(
                      "exit code 1",
                      CutoverErrors.COMMAND_FAILED,
                      new RunResult(1, "relation exists", 1, false));
                }
                yield new RunResult(0, "migrated", 1, false);
              }
              case "start-new" ->
                  throw ApplicationFailure.newNonRetryableFailure(
                      "exit code 3",
                      CutoverErrors.COMMAND_FAILED,
                      new RunResult(3, "port in use", 1, false));
              default -> new RunResult(0, "ok", 1, false);
            });
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: recorded-facts
        hosts: {old: {}, new: {}}
        gates: [{name: go, before: downtime}]
        phases:
          prepare:
            steps:
              - {name: backup, kind: run, host: old, command: backup, undo: {kind: run, host: old, command: drop-backup}}
              - {name: migrate, kind: run, host: new, command: migrate, retry: {maxAttempts: 2, initialInterval: 1s}}
          presync: {every: 1h, rounds: 2, steps: [{name: sync, kind: run, host: new, command: sync}]}
          downtime:
            steps:
              - {name: stop, kind: run, host: old, command: stop, undo: {kind: run, host: old, command: start}}
              - {name: settle, kind: wait, duration: 1m}
              - {name: start-new, kind: run, host: new, command: start-new}
        """));
    awaitStatus(workflow, s -> "decision:migrate".equals(s.waitingFor()));
    untyped().signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go", "too early", "tester"));
    untyped()
        .signal(
            CutoverNames.SIGNAL_DECIDE,
            new DecideRequest("backup", DecisionAction.RETRY, null, null));
    workflow.decideStep(new DecideRequest("migrate", DecisionAction.RETRY, "try again", "tester"));
    awaitStatus(
        workflow, s -> s.decisions().size() == 1 && "decision:migrate".equals(s.waitingFor()));
    fixed.set(true);
    untyped()
        .signal(
            CutoverNames.SIGNAL_DECIDE,
            new DecideRequest("migrate", DecisionAction.RETRY, "dropped the table", "tester"));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));
    untyped()
        .signal(
            CutoverNames.SIGNAL_APPROVE,
            new ApproveRequest("g".repeat(5_000), "too long a name", "tester"));
    untyped().signal(CutoverNames.SIGNAL_APPROVE, java.util.List.of("not", "an", "object"));
    untyped().signal("aprove", new ApproveRequest("go", "misspelled", "tester"));
    untyped()
        .signal(
            CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go", "rounds are small", "tester"));
    awaitStatus(workflow, s -> "decision:start-new".equals(s.waitingFor()));
    untyped().signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go", "again", "tester"));
    untyped().signal(CutoverNames.SIGNAL_ABORT, new AbortRequest("port taken on new", "tester"));
    result();
    save("facts-decisions-and-undo.json");
  }

  /**
   * v7: verified approvals: a start signed by alice, a gate that needs two of three approvers and
   * keeps the starter out (alice refused, an unsigned signal refused, bob counted once by update
   * and refused by signal the second time, carol's signed signal opening it), and a gate that takes
   * unsigned approvals, marked unverified.
   */
  @Test
  void verifiedApprovalsTwoOfThreeAndUnsigned() throws Exception {
    TestSshKey alice = new TestSshKey("alice@example.com");
    TestSshKey bob = new TestSshKey("bob@example.com");
    TestSshKey carol = new TestSshKey("carol@example.com");
    dev.cutover.plan.Plan plan =
        Plans.parse(
            """
        migration: recorded-verified
        hosts: {old: {}, new: {}}
        approvers:
          - %s
          - %s
          - %s
        gates:
          - {name: go, before: downtime, approval: {require: 2}}
          - {name: go-live, before: switch, approval: {require: 1, unsigned: allow}}
        phases:
          prepare: {steps: [{name: backup, kind: run, host: old, command: backup}]}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
          switch: {steps: [{name: flip, kind: run, host: new, command: flip}]}
        """
                .formatted(alice.allowedSigner(), bob.allowedSigner(), carol.allowedSigner()));
    java.time.Instant now = java.time.Instant.ofEpochMilli(env.currentTimeMillis());
    dev.cutover.approval.StartClaim claim =
        new dev.cutover.approval.StartClaim(
            ID, StartVerification.planSha256(plan), alice.principal(), "start-nonce", now);
    MigrationWorkflow workflow =
        start(
            new MigrationInput(
                plan,
                null,
                null,
                new SignedStart(
                    alice.principal(),
                    claim,
                    alice.sign(
                        claim.signedText(), dev.cutover.approval.SshSignatures.START_NAMESPACE))));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));
    try {
      workflow.approveGate(signed(alice, "go", "my own run", "n-alice"));
    } catch (io.temporal.client.WorkflowUpdateException refused) {
      // refused in the validator: no event
    }
    untyped().signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go", "unsigned", "mallory"));
    workflow.approveGate(signed(bob, "go", "rounds are small", "n-bob"));
    untyped().signal(CutoverNames.SIGNAL_APPROVE, signed(bob, "go", "again", "n-bob-2"));
    untyped().signal(CutoverNames.SIGNAL_APPROVE, signed(carol, "go", "checked", "n-carol"));
    awaitStatus(workflow, s -> "gate:go-live".equals(s.waitingFor()));
    untyped()
        .signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go-live", "from the UI", "dave"));
    result();
    save("verified-approvals.json");
  }

  private ApproveRequest signed(TestSshKey key, String gate, String comment, String nonce) {
    String runId = untyped().describe().getExecution().getRunId();
    java.time.Instant now = java.time.Instant.ofEpochMilli(env.currentTimeMillis());
    dev.cutover.approval.ApprovalClaim claim =
        new dev.cutover.approval.ApprovalClaim(
            ID, runId, gate, comment, key.principal(), nonce, now);
    return new ApproveRequest(
        gate,
        comment,
        key.principal(),
        runId,
        nonce,
        now.toString(),
        key.sign(claim.signedText(), dev.cutover.approval.SshSignatures.APPROVAL_NAMESPACE));
  }

  @Override
  Object[] moreActivities() {
    return new Object[] {new HostStepsFake()};
  }

  private void save(String name) throws Exception {
    Path dir = Path.of(System.getProperty("cutover.recordHistories"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), client.fetchHistory(ID).toJson(true));
  }
}
