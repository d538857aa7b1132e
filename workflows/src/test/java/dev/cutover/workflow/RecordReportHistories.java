package dev.cutover.workflow;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories the CLI's report golden tests read: a clean run, a run with failures,
 * Temporal retries, operator retries, ignored signals and an abort with undo, and a run that sends
 * notifications (some delivered, some not). Operators act through clients with their own
 * identities, as the CLI and the Temporal UI do. Run it when the workflow changes what the report
 * reads, then regenerate the expected reports: {@code ./mvnw -o -pl workflows test
 * -Dtest=RecordReportHistories
 * -Dcutover.recordReportHistories=../starter/src/test/resources/report/histories}
 */
@EnabledIfSystemProperty(named = "cutover.recordReportHistories", matches = ".+")
class RecordReportHistories extends WorkflowTestSupport {
  static final String ALICE = "alice@ops-laptop (cutover cli)";
  static final String UI = "bob@example.com (Temporal UI)";

  final RecordingNotifyActivities notify = new RecordingNotifyActivities();

  @Test
  void cleanRunWithPreflightGatesRsyncRoundsDowntimeAndMonitor() throws Exception {
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: shop-move
        description: Move the shop from old to new, files by rsync, cut over by DNS
        hosts: {old: {}, new: {}}
        window: {downtimeBudget: 30m}
        gates:
          - {name: go-downtime, before: downtime, description: presync rounds are small and the team is online}
          - {name: go-live, before: switch, description: the new host serves the shop}
        phases:
          prepare: {steps: [{name: check-disk, kind: run, host: new, command: df -h /srv}]}
          lower-ttl: {oldTtl: 1h, steps: [{name: lower-ttl, kind: run, host: old, command: lower-ttl 60}]}
          presync: {every: 2h, rounds: 3, steps: [{name: sync-files, kind: rsync, from: old, to: new, source: /srv/shop, target: /srv/shop}]}
          downtime:
            steps:
              - {name: stop-app, kind: run, host: old, command: systemctl stop shop}
              - {name: final-sync, kind: rsync, from: old, to: new, source: /srv/shop, target: /srv/shop, delete: true}
              - {name: settle, kind: wait, duration: 2m, description: let the last writes land}
          switch: {steps: [{name: switch-dns, kind: run, host: new, command: switch-dns, pointOfNoReturn: true}]}
          verify: {steps: [{name: smoke-test, kind: run, host: new, command: curl -fsS https://shop.example/health}]}
          monitor: {every: 10m, for: 30m, steps: [{name: watch, kind: run, host: new, command: check-errors}]}
          finish: {steps: [{name: restore-ttl, kind: run, host: new, command: restore-ttl 3600}]}
        """));
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    as(UI)
        .newUntypedWorkflowStub(ID)
        .signal(
            CutoverNames.SIGNAL_APPROVE,
            new ApproveRequest("go-downtime", "rounds are down to a minute", null));
    awaitStatus(workflow, s -> "gate:go-live".equals(s.waitingFor()));
    as(ALICE)
        .newWorkflowStub(MigrationWorkflow.class, ID)
        .approveGate(new ApproveRequest("go-live", "smoke test by hand is fine", ALICE));
    result();
    save("clean-run.json", client.fetchHistory(ID).getHistory());
  }

  @Test
  void failuresRetriesIgnoredSignalsAndAbortWithUndo() throws Exception {
    AtomicInteger migrateCalls = new AtomicInteger();
    run.answer(
        r ->
            switch (r.command()) {
              // Three attempts of the first try fail; the second try fails once more, then passes.
              case "migrate-schema" -> {
                int n = migrateCalls.incrementAndGet();
                if (n <= 4) {
                  throw ApplicationFailure.newFailure(
                      "exit code 1",
                      CutoverErrors.COMMAND_FAILED,
                      new RunResult(
                          1,
                          "applying 0042_orders.sql\nERROR:  relation \"orders_v2\" already exists",
                          120,
                          false));
                }
                yield new RunResult(0, "applied 0042_orders.sql", 300, false);
              }
              case "start-new" ->
                  throw ApplicationFailure.newNonRetryableFailure(
                      "exit code 3",
                      CutoverErrors.COMMAND_FAILED,
                      new RunResult(
                          3,
                          "Starting shop...\nshop: cannot bind 0.0.0.0:8080: address in use",
                          40,
                          false));
              default -> new RunResult(0, "ok", 5, false);
            });
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: shop-move
        hosts: {old: {}, new: {}}
        gates: [{name: go-downtime, before: downtime}]
        phases:
          prepare:
            steps:
              - {name: backup-db, kind: run, host: old, command: backup-db, undo: {kind: run, host: old, command: drop-backup}}
              - {name: migrate-schema, kind: run, host: new, command: migrate-schema, retry: {maxAttempts: 3, initialInterval: 1s}}
          presync: {rounds: 1, steps: [{name: sync-files, kind: rsync, from: old, to: new, source: /srv/shop, target: /srv/shop}]}
          downtime:
            steps:
              - {name: stop-app, kind: service, host: old, unit: shop.service, action: stop}
              - {name: start-new, kind: run, host: new, command: start-new}
        """));
    MigrationWorkflow alice = as(ALICE).newWorkflowStub(MigrationWorkflow.class, ID);
    var ui = as(UI).newUntypedWorkflowStub(ID);
    awaitStatus(workflow, s -> "decision:migrate-schema".equals(s.waitingFor()));
    // Someone approves the gate from the UI long before it opens: the workflow ignores it and notes
    // why.
    ui.signal(
        CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go-downtime", "looks good to me", null));
    // and decides on the wrong step.
    ui.signal(
        CutoverNames.SIGNAL_DECIDE,
        new DecideRequest("backup-db", DecisionAction.RETRY, null, null));
    awaitStatus(workflow, s -> s.notes().size() >= 2);
    alice.decideStep(
        new DecideRequest(
            "migrate-schema", DecisionAction.RETRY, "dropped the half-made orders_v2", ALICE));
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    alice.approveGate(new ApproveRequest("go-downtime", "schema is in, presync done", ALICE));
    awaitStatus(workflow, s -> "decision:start-new".equals(s.waitingFor()));
    alice.abortMigration(
        new AbortRequest("port 8080 taken on new; back to old until Monday", ALICE));
    result();
    save("failures-rejected-abort.json", client.fetchHistory(ID).getHistory());
  }

  @Test
  void notificationsAroundGatesAndTheDowntime() throws Exception {
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: shop-move
        description: Move the shop, with the team told on chat and by mail
        hosts: {old: {}, new: {}}
        window: {downtimeBudget: 30m}
        secrets:
          slack: env:SLACK_WEBHOOK
        notifications:
          webhook: slack
          email: {host: smtp.example.org, from: cutover@example.org, to: [ops@example.org]}
          remindEvery: 30m
        gates:
          - {name: go-downtime, before: downtime, description: the team is online}
          - {name: go-live, before: switch, description: the new host serves the shop}
        phases:
          prepare: {steps: [{name: check-disk, kind: run, host: new, command: df -h /srv}]}
          downtime:
            steps:
              - {name: stop-app, kind: run, host: old, command: systemctl stop shop}
              - {name: final-sync, kind: rsync, from: old, to: new, source: /srv/shop, target: /srv/shop, delete: true}
          switch: {steps: [{name: switch-dns, kind: run, host: new, command: switch-dns, pointOfNoReturn: true}]}
          verify: {steps: [{name: smoke-test, kind: run, host: new, command: curl -fsS https://shop.example/health}]}
        """));
    // The gate opens (notified), waits past one reminder, and is approved.
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    env.sleep(java.time.Duration.ofMinutes(40));
    // The chat receiver goes down: the downtime start and the next gate are not delivered.
    notify.failWith = "webhook answered 503 Service Unavailable";
    as(ALICE)
        .newWorkflowStub(MigrationWorkflow.class, ID)
        .approveGate(new ApproveRequest("go-downtime", "team is online", ALICE));
    awaitStatus(workflow, s -> "gate:go-live".equals(s.waitingFor()) && s.notes().size() >= 2);
    notify.failWith = null;
    as(ALICE)
        .newWorkflowStub(MigrationWorkflow.class, ID)
        .approveGate(new ApproveRequest("go-live", "looks good", ALICE));
    result();
    save("notifications.json", client.fetchHistory(ID).getHistory());
  }

  @Test
  void continuedChainOfMonitorChecks() throws Exception {
    start(
        new MigrationInput(
            Plans.parse(
                """
        migration: shop-watch
        hosts: {new: {}}
        phases:
          monitor: {every: 10m, for: 3h, steps: [{name: watch, kind: run, host: new, command: check-errors}]}
          finish: {steps: [{name: retire-old, kind: run, host: new, command: retire-old}]}
        """),
            null,
            60));
    result();
    List<History> runs = new ArrayList<>();
    String runId = "";
    while (true) {
      History history =
          runId.isEmpty()
              ? client.fetchHistory(ID).getHistory()
              : client.fetchHistory(ID, runId).getHistory();
      runs.add(history);
      runId =
          history
              .getEvents(0)
              .getWorkflowExecutionStartedEventAttributes()
              .getContinuedExecutionRunId();
      if (runId.isEmpty()) {
        break;
      }
    }
    Collections.reverse(runs);
    for (int i = 0; i < runs.size(); i++) {
      save("continued-run-" + (i + 1) + ".json", runs.get(i));
    }
  }

  @Override
  Object[] moreActivities() {
    return new Object[] {new HostStepsFake(), notify};
  }

  /**
   * A client that acts as a person would: Temporal records its identity on every event it causes.
   */
  private WorkflowClient as(String identity) {
    return WorkflowClient.newInstance(
        env.getWorkflowServiceStubs(),
        WorkflowClientOptions.newBuilder()
            .setNamespace(env.getNamespace())
            .setIdentity(identity)
            .build());
  }

  private void save(String name, History history) throws Exception {
    Path dir = Path.of(System.getProperty("cutover.recordReportHistories"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), new WorkflowExecutionHistory(history).toJson(true));
  }
}
