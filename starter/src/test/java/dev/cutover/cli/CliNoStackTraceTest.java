package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.cli.CliTestServer.CliRun;
import dev.cutover.workflow.CutoverNames;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ways a command used to end in a stack trace, a hang or a false success: now one line and an exit
 * code.
 */
@ExtendWith(CliTestServer.class)
class CliNoStackTraceTest {
  @TempDir Path dir;

  private final CliTestServer server;

  CliNoStackTraceTest(CliTestServer server) {
    this.server = server;
  }

  @Test
  void statusOfATerminatedRunSaysHowItEndedAndShowsNoWayToMoveItOn() throws Exception {
    // given a run at its gate that someone terminates
    String migration = CliTestServer.uniqueName("terminated");
    String id = CutoverNames.workflowId(migration);
    assertThat(
            server
                .connected(
                    "start", CliTestServer.writePlan(dir, migration, CliTest.GATED_PLAN).toString())
                .exitCode())
        .isZero();
    server.awaitStatus(id, s -> "gate:go-downtime".equals(s.waitingFor()));
    server.untyped(id).terminate("operator gave up\nfor tonight");

    // when its status is asked for, as text, as JSON and watched
    CliRun status = server.connected("status", id);
    CliRun json = server.connected("status", id, "--json");
    CliRun watch = server.connected("status", id, "--watch");

    // then the text begins with how it ended, when, why, and where the whole story is; exit 0
    assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCode.OK);
    assertThat(status.out().lines().findFirst().orElseThrow())
        .startsWith("This migration has ended: terminated ")
        .contains(" UTC")
        .endsWith(": operator gave up\\nfor tonight.");
    assertThat(status.out())
        .contains("the whole story: cutover report " + id)
        .contains("Migration " + migration)
        .contains("go-downtime")
        // and it offers no approval of a gate that can no longer open
        .doesNotContain("Waiting for")
        .doesNotContain("cutover approve");
    assertThat(status.err()).isEmpty();
    // and the JSON says the same beside the last status
    JsonNode node = new ObjectMapper().readTree(json.out());
    assertThat(node.get("execution").asText()).isEqualTo("terminated");
    assertThat(node.get("ended").asText())
        .startsWith("terminated ")
        .endsWith("operator gave up\\nfor tonight");
    assertThat(node.get("state").asText()).isEqualTo("WAITING_FOR_GATE");
    // and watching ends at once with exit 1
    assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(watch.out()).startsWith("This migration has ended: terminated ");
    // and approving its gate now is refused in one line
    CliRun approve = server.connected("approve", id, "go-downtime");
    assertThat(approve.exitCode()).as(approve.toString()).isNotEqualTo(ExitCode.OK);
    assertThat(approve.err().lines().toList())
        .as(approve.toString())
        .singleElement()
        .asString()
        .startsWith("cutover: ")
        .contains(id);
  }

  @Test
  void statusAndApproveOfAWedgedRunAndStatusOfItTerminatedAreOneLineEachAndEnd() {
    // given a migration whose every workflow task fails (its input is no MigrationInput), as a plan
    // Temporal cannot hold did: queries fail too, with the worker's stack trace in their message
    String id = CliTestServer.uniqueName("cutover-wedged");
    server
        .client()
        .newUntypedWorkflowStub(
            "Migration",
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(CutoverNames.TASK_QUEUE)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(5))
                .build())
        .start("not a plan");

    // when its status is asked for while it runs (the SDK would retry the unanswered query for a
    // minute)
    CliRun running = server.connected("status", id);

    // then one line says the status cannot be read and what to look at, exit 1
    assertThat(running.exitCode()).as(running.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(running.err().lines().toList())
        .as(running.toString())
        .singleElement()
        .asString()
        .isEqualTo(
            "cutover: cannot read the status of "
                + id
                + ": no answer within "
                + StatusCommand.QUERY_PATIENCE.toSeconds()
                + "s (is a cutover worker running? are the run's workflow tasks failing? see the Temporal UI)");

    // when an operator tries to approve a gate of it (the SDK waits for an update's answer without
    // end)
    CliRun approve = server.connected("approve", id, "go");

    // then one line says there was no answer and that the approval may still be applied later
    assertThat(approve.exitCode()).as(approve.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(approve.err().lines().toList())
        .as(approve.toString())
        .singleElement()
        .asString()
        .isEqualTo(
            "cutover: approval of gate go: no answer from "
                + id
                + " within "
                + WorkflowUpdates.PATIENCE.toSeconds()
                + "s (is a cutover worker running? are the run's workflow tasks failing? see the Temporal UI); it may still be applied"
                + " when the run moves again: check with cutover status "
                + id);

    // when someone terminates it and asks again, and for its report
    server.untyped(id).terminate("wedged: first workflow task fails");
    CliRun ended = server.connected("status", id);
    CliRun report = server.connected("report", id);

    // then status says how it ended and that its last status cannot be read, exit 0, no trace
    assertThat(ended.exitCode()).as(ended.toString()).isEqualTo(ExitCode.OK);
    assertThat(ended.out().lines().toList()).as(ended.toString()).hasSize(2);
    assertThat(ended.out())
        .startsWith("This migration has ended: terminated ")
        .contains(": wedged: first workflow task fails.\n")
        .contains("Its last status cannot be read; the whole story: cutover report " + id);
    assertThat(ended.err()).isEmpty();
    // and the report says it has no plan to read instead of "Migration report: null"
    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCode.OK);
    assertThat(report.out())
        .startsWith("Migration report: (no plan in the history)  (" + id + ")")
        .contains("Outcome:  terminated — wedged: first workflow task fails")
        .contains("the start event holds no plan this report can read");
  }

  @Test
  void aServerErrorWhoseMessageCarriesAStackTraceIsShownAsItsFirstLine() {
    var failure =
        new RuntimeException(
            "query failed",
            new IllegalStateException(
                "status failed: boom \033[2J\n\tat dev.cutover.workflow.X.status(X.java:12)\n\tat io.temporal.Y.z(Y.java:3)"));

    assertThat(TemporalConnection.rootMessage(failure)).isEqualTo("status failed: boom \\e[2J");
  }

  @Test
  void reportOfAHistoryOfAnotherWorkflowTypeIsRefusedNamingTheType() throws IOException {
    // given an export of some other workflow's history
    Path file = dir.resolve("orders.json");
    Files.writeString(
        file,
        """
        {"events": [{"eventId": "1", "eventTime": "2026-12-06T10:00:00Z", "eventType": "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED",
          "workflowExecutionStartedEventAttributes": {"workflowType": {"name": "OrderWorkflow"}, "taskQueue": {"name": "orders"}}}]}
        """);

    // when a report is asked of it
    CliRun report = CliRun.run("report", "--history", file.toString());

    // then it is refused, exit 2, saying what the file holds, instead of "Migration report: null"
    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(report.err().strip())
        .isEqualTo(
            "cutover: history "
                + file
                + " is not a cutover run: the history is of a workflow"
                + " of type 'OrderWorkflow', not a cutover migration (type 'Migration')");
    assertThat(report.out()).isEmpty();
  }

  @Test
  void reportOfAHistoryThatDoesNotBeginWithTheStartIsRefused() throws IOException {
    Path file = dir.resolve("tail.json");
    Files.writeString(
        file,
        """
        {"events": [{"eventId": "7", "eventTime": "2026-12-06T10:00:00Z", "eventType": "EVENT_TYPE_TIMER_FIRED",
          "timerFiredEventAttributes": {"timerId": "1", "startedEventId": "5"}}]}
        """);

    CliRun report = CliRun.run("report", "--history", file.toString());

    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(report.err())
        .contains(
            "does not begin with the workflow's start event (its first event is timer fired)");
  }

  @Test
  void reportOfAnotherWorkflowOnTheServerIsRefused() {
    // given a workflow of another type on the same server
    String id = CliTestServer.uniqueName("orders");
    server
        .client()
        .newUntypedWorkflowStub(
            "OrderWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue("orders-nobody-polls")
                .setWorkflowExecutionTimeout(Duration.ofMinutes(5))
                .build())
        .start();

    // when cutover is asked for its report
    CliRun report = server.connected("report", id);

    // then it says what it is, exit 2
    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(report.err().strip())
        .isEqualTo(
            "cutover: workflow "
                + id
                + " is not a cutover run: the history is of a workflow"
                + " of type 'OrderWorkflow', not a cutover migration (type 'Migration')");
    server.untyped(id).terminate("test done");
  }

  @Test
  void devWithAPortOutOfRangeIsInvalidInput() {
    for (String port : new String[] {"0", "70000", "-1"}) {
      CliRun dev = CliRun.run("dev", "--port", port);

      assertThat(dev.exitCode()).as(dev.toString()).isEqualTo(ExitCode.INVALID_INPUT);
      assertThat(dev.err())
          .startsWith("cutover: --port " + port + ": give a TCP port from 1 to 65535")
          .contains("Try 'cutover dev --help'.")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void devOnABusyPortSaysSoAtOnce() throws IOException {
    // given a port something already listens on
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();

      // when cutover dev is asked to use it
      CliRun dev = CliRun.run("dev", "--port", Integer.toString(port));

      // then one line says the port is in use and what to do, before any worker starts
      assertThat(dev.exitCode()).as(dev.toString()).isEqualTo(ExitCode.FAILED);
      assertThat(dev.err().strip())
          .isEqualTo(
              "cutover: port "
                  + port
                  + " on 127.0.0.1 is in use (another `cutover dev` or Temporal"
                  + " server?): stop it, or choose another with --port and pass the same --address to the other commands");
      assertThat(dev.out()).isEmpty();
    }
  }
}
