package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.history.v1.History;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the report model takes from recorded histories, beyond how it is rendered. */
class ReportBuilderTest {
  private static final Path HISTORIES = Golden.RESOURCES.resolve("histories");

  @Test
  void runsOfAContinuedChainGivenInAnyOrderReadAsOneMigration() {
    // given the four runs of a monitor phase that continued as new, as files out of order
    List<Path> files =
        IntStream.of(3, 1, 4, 2)
            .mapToObj(i -> HISTORIES.resolve("continued-run-" + i + ".json"))
            .toList();

    // when they are read and reported
    MigrationReport report =
        ReportBuilder.build("cutover-shop-watch", HistoryFiles.read(files), null);

    // then the runs are in order, the checks are numbered across runs, and the last run's end is
    // the outcome
    assertThat(report.runs()).hasSize(4);
    assertThat(report.runs())
        .extracting(ReportRun::end)
        .containsExactly("continued as new", "continued as new", "continued as new", "completed");
    assertThat(report.outcome()).isEqualTo("completed");
    assertThat(report.monitorChecks()).isEqualTo(18);
    StepReport watch = step(report, "watch");
    assertThat(watch.executions())
        .extracting(StepExecution::round)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 18).boxed().toList());
    assertThat(step(report, "retire-old").state()).isEqualTo("succeeded");
    assertThat(report.phases()).extracting(PhaseSpan::name).containsExactly("monitor", "finish");
    assertThat(report.notes()).isEmpty();
  }

  @Test
  void theLastRunAloneSaysEarlierRunsWereNotRead() {
    MigrationReport report =
        ReportBuilder.build(
            "cutover-shop-watch",
            HistoryFiles.read(List.of(HISTORIES.resolve("continued-run-4.json"))),
            null);

    assertThat(report.notes())
        .containsExactly(
            "this history starts with a continued run: earlier runs of the migration were not read");
    assertThat(step(report, "watch").executions().get(0).round()).isGreaterThan(1);
  }

  @Test
  void failuresDecisionsIgnoredSignalsAndTheAbortAreTakenFromTheEvents() {
    // given the run where a schema migration failed, people acted, and the run was aborted
    MigrationReport report = report("failures-rejected-abort.json");

    // then the failed try kept its attempts, error and output, and the retried try passed
    StepExecution failed = step(report, "migrate-schema").executions().get(0);
    assertThat(failed.outcome()).isEqualTo("failed");
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.errorType()).isEqualTo("CommandFailed");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.outputTail()).endsWith("ERROR:  relation \"orders_v2\" already exists");
    assertThat(step(report, "migrate-schema").executions().get(1).attemptOfStep()).isEqualTo(2);
    assertThat(step(report, "migrate-schema").state()).isEqualTo("succeeded");
    // and the approval sent before the gate opened is shown as ignored, with why, and who sent it
    OperatorAction early = report.actions().get(0);
    assertThat(early.kind()).isEqualTo("approve");
    assertThat(early.accepted()).isFalse();
    assertThat(early.identity()).isEqualTo("bob@example.com (Temporal UI)");
    assertThat(early.answer())
        .isEqualTo(
            "ignored: gate 'go-downtime' was not open: it opens before phase downtime and the migration was in phase prepare");
    assertThat(report.actions().get(1).answer()).contains("the blocked step was 'migrate-schema'");
    // and the gate was approved later by update, with the identity Temporal recorded
    GateReport gate = report.gates().get(0);
    assertThat(gate.state()).isEqualTo("approved");
    assertThat(gate.via()).isEqualTo("update");
    assertThat(gate.identity()).isEqualTo("alice@ops-laptop (cutover cli)");
    assertThat(gate.waited()).isNotNull();
    // and the abort undid the finished steps in reverse
    assertThat(report.outcome()).isEqualTo("aborted");
    assertThat(report.outcomeDetail()).startsWith("port 8080 taken on new");
    assertThat(step(report, "stop-app").state()).isEqualTo("undone");
    assertThat(step(report, "backup-db").state()).isEqualTo("undone");
    StepExecution undoStop = step(report, "stop-app").executions().get(1);
    StepExecution undoBackup = step(report, "backup-db").executions().get(1);
    assertThat(undoStop.undo()).isTrue();
    assertThat(undoStop.scheduledAt()).isBefore(undoBackup.scheduledAt());
    assertThat(report.phases()).extracting(PhaseSpan::name).endsWith("rollback");
  }

  @Test
  void downtimeIsTheWorkflowsOwnMeasureAndPresyncRoundsCountWhatRsyncChanged() {
    MigrationReport report = report("clean-run.json");

    DowntimeReport downtime = report.downtime();
    assertThat(downtime.budget()).isEqualTo(Duration.ofMinutes(30));
    assertThat(downtime.budgetExceeded()).isFalse();
    assertThat(Duration.between(downtime.startedAt(), downtime.endedAt()))
        .isEqualTo(downtime.measured());
    // it starts with the first downtime step, after the gate was approved
    assertThat(downtime.startedAt())
        .isEqualTo(step(report, "stop-app").executions().get(0).scheduledAt());
    assertThat(report.presyncRounds())
        .extracting(PresyncRoundReport::changedFiles)
        .containsExactly(1200L, 600L, 400L);
    assertThat(report.waits())
        .extracting(WaitReport::what)
        .contains("wait out the old DNS TTL (1h)", "wait step settle (2m)");
    assertThat(report.gates()).extracting(GateReport::via).containsExactly("signal", "update");
  }

  @Test
  void notificationsAreNotStepsAndTheDowntimeStartsAtTheFirstDowntimeStepNotAtTheGate() {
    // given a run that notified of its gates (the first opened after the workflow entered the
    // downtime phase), reminded once, and whose chat receiver failed during the downtime
    MigrationReport report = report("notifications.json");

    // then the downtime starts with the first downtime step, long after the gate opened
    GateReport gate = report.gates().get(0);
    Instant firstDowntimeStep = step(report, "stop-app").executions().get(0).scheduledAt();
    assertThat(report.downtime().startedAt()).isEqualTo(firstDowntimeStep).isAfter(gate.openedAt());
    assertThat(report.downtime().startedAt()).isAfterOrEqualTo(gate.approvedAt());
    assertThat(report.phases())
        .extracting(PhaseSpan::name)
        .containsExactly("prepare", "downtime", "switch", "verify");
    // and no notification is filed as a step
    assertThat(report.steps())
        .extracting(StepReport::name)
        .containsExactly(
            "preflight", "check-disk", "stop-app", "final-sync", "switch-dns", "smoke-test");
    // but each is listed with its event, when it was sent, and whether it was delivered
    assertThat(report.notifications())
        .extracting(NotificationReport::event)
        .containsExactly(
            "gate-opened",
            "gate-reminder",
            "downtime-started",
            "gate-opened",
            "downtime-ended",
            "migration-done");
    assertThat(report.notifications().get(0).sentAt()).isEqualTo(gate.openedAt());
    assertThat(report.notifications().get(0).title())
        .isEqualTo("Gate go-downtime waits for approval (shop-move)");
    assertThat(report.notifications())
        .extracting(NotificationReport::outcome)
        .containsExactly(
            "delivered", "delivered", "not delivered", "not delivered", "delivered", "delivered");
    NotificationReport failed = report.notifications().get(2);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.detail()).contains("webhook answered 503 Service Unavailable");
    assertThat(report.notifications().get(0).detail()).isEqualTo("by webhook");
    // and the secret reference in the requests reaches no format
    for (ReportFormat format : ReportFormat.values()) {
      assertThat(format.render(report))
          .as(format.name())
          .doesNotContain("SLACK_WEBHOOK", "NotifySend");
    }
  }

  @Test
  void reportsCarryNamesAndPlacesButNeverTheInputsPayloads() throws Exception {
    // given a released history whose plan names a secret and passphrase references, and literal
    // file content
    MigrationReport report =
        ReportBuilder.build(
            "cutover-shop",
            HistoryFiles.read(
                List.of(ReportGoldenTest.RELEASED.resolve("v2/host-steps-abort.json"))),
            null);

    // then no format prints what the model does not extract
    for (ReportFormat format : ReportFormat.values()) {
      assertThat(format.render(report))
          .as(format.name())
          .doesNotContain("env:APP_ENV", "passphrase", "10.0.0.2", "contentSecret");
    }
  }

  @Test
  void everyFailedAttemptsErrorIsListedAlsoOfAnExecutionThatSucceededLater() {
    // given the recorded run, with what a real server and the worker add to it: the started event
    // keeps the failure of the attempt before the last, and each failure carries the errors of the
    // attempts before it (the test server records neither)
    History recorded =
        HistoryFiles.read(List.of(HISTORIES.resolve("failures-rejected-abort.json"))).get(0);
    History.Builder history = recorded.toBuilder();
    List<Integer> started = new java.util.ArrayList<>();
    List<Integer> failed = new java.util.ArrayList<>();
    for (int i = 0; i < history.getEventsCount(); i++) {
      var e = history.getEvents(i);
      if (e.hasActivityTaskStartedEventAttributes()
          && e.getActivityTaskStartedEventAttributes().getAttempt() > 1) {
        started.add(i);
      }
      if (e.hasActivityTaskFailedEventAttributes()) {
        failed.add(i);
      }
    }
    // migrate-schema try 1: three attempts, failed; try 2: failed once, then succeeded
    int try1Started = started.get(0);
    int try1Failed = failed.get(0);
    int try2Started = started.get(1);
    history.setEvents(
        try1Started,
        withLastFailure(
            history.getEvents(try1Started),
            failure(
                "lock timeout on schema_migrations",
                "CommandFailed",
                earlier(1, "host new: connection refused", "HostUnreachable"))));
    var finalFailure =
        history.getEvents(try1Failed).getActivityTaskFailedEventAttributes().getFailure();
    var carried =
        finalFailure.getApplicationFailureInfo().toBuilder()
            .setDetails(
                finalFailure.getApplicationFailureInfo().getDetails().toBuilder()
                    .addPayloads(
                        earlier(
                            1,
                            "host new: connection refused",
                            "HostUnreachable",
                            2,
                            "lock timeout on schema_migrations",
                            "CommandFailed")));
    history.setEvents(
        try1Failed,
        history.getEvents(try1Failed).toBuilder()
            .setActivityTaskFailedEventAttributes(
                history.getEvents(try1Failed).getActivityTaskFailedEventAttributes().toBuilder()
                    .setFailure(finalFailure.toBuilder().setApplicationFailureInfo(carried)))
            .build());
    history.setEvents(
        try2Started,
        withLastFailure(
            history.getEvents(try2Started), failure("disk full on new", "CommandFailed", null)));

    // when it is reported
    MigrationReport report =
        ReportBuilder.build("cutover-shop-move", List.of(history.build()), null);

    // then the failed try lists each of its three attempts' errors, and the try that succeeded its
    // first attempt's
    List<StepExecution> tries = step(report, "migrate-schema").executions();
    assertThat(ReportSummary.attempts(tries.get(0)))
        .containsExactly(
            "attempt 1: host new: connection refused [HostUnreachable]",
            "attempt 2: lock timeout on schema_migrations [CommandFailed]",
            "attempt 3: exit code 1 [CommandFailed]");
    assertThat(ReportSummary.attempts(tries.get(1)))
        .containsExactly("attempt 1: disk full on new [CommandFailed]");
    // and the text report shows them under the try that succeeded too
    assertThat(TextReport.render(report))
        .contains(
            """
              try 2: RunCommand succeeded after 2 attempts, 2026-11-21 23:52:39, took 1s
                attempt 1: disk full on new [CommandFailed]
        """);
  }

  private static io.temporal.api.history.v1.HistoryEvent withLastFailure(
      io.temporal.api.history.v1.HistoryEvent e, io.temporal.api.failure.v1.Failure failure) {
    return e.toBuilder()
        .setActivityTaskStartedEventAttributes(
            e.getActivityTaskStartedEventAttributes().toBuilder().setLastFailure(failure))
        .build();
  }

  private static io.temporal.api.failure.v1.Failure failure(
      String message, String type, io.temporal.api.common.v1.Payload carried) {
    var info = io.temporal.api.failure.v1.ApplicationFailureInfo.newBuilder().setType(type);
    if (carried != null) {
      info.setDetails(
          io.temporal.api.common.v1.Payloads.newBuilder()
              .addPayloads(json("null"))
              .addPayloads(carried));
    }
    return io.temporal.api.failure.v1.Failure.newBuilder()
        .setMessage(message)
        .setApplicationFailureInfo(info)
        .build();
  }

  /** The worker's last failure detail: attempt, error, type, ... */
  private static io.temporal.api.common.v1.Payload earlier(Object... attemptErrorType) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < attemptErrorType.length; i += 3) {
      list.append(list.length() == 0 ? "" : ",")
          .append("{\"attempt\":")
          .append(attemptErrorType[i])
          .append(",\"type\":\"")
          .append(attemptErrorType[i + 2])
          .append("\",\"error\":\"")
          .append(attemptErrorType[i + 1])
          .append("\"}");
    }
    return json("{\"earlierAttemptErrors\":[" + list + "]}");
  }

  private static io.temporal.api.common.v1.Payload json(String text) {
    return io.temporal.api.common.v1.Payload.newBuilder()
        .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
        .setData(com.google.protobuf.ByteString.copyFromUtf8(text))
        .build();
  }

  private static MigrationReport report(String file) {
    List<History> runs = HistoryFiles.read(List.of(HISTORIES.resolve(file)));
    return ReportBuilder.build("cutover-shop-move", runs, null);
  }

  private static StepReport step(MigrationReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
