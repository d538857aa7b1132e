package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.cli.CliTestServer.CliRun;
import dev.cutover.fleet.FleetNames;
import dev.cutover.fleet.FleetResult;
import dev.cutover.fleet.FleetStatus;
import dev.cutover.fleet.FleetWorkflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutover fleet} against a real (in-process) Temporal server and worker: a fleet of two
 * services from one template, one wave with a shared gate, each member a real migration whose steps
 * run real processes.
 */
@ExtendWith(CliTestServer.class)
class FleetCliTest {
  /** One member: a prepare step, then a short downtime behind the wave's shared gate. */
  static final String TEMPLATE =
      """
      migration: ${prefix}-${service}
      hosts: {old: {transport: local}}
      phases:
        prepare:  {steps: [{name: prep, kind: run, host: old, command: echo ${service} prepared}]}
        downtime: {steps: [{name: settle, kind: wait, duration: 1s}]}
        switch:   {steps: [{name: flip, kind: run, host: old, command: echo ${service} flipped}]}
      """;

  static final String FLEET =
      """
      fleet: %s
      description: two apps in one window
      concurrency: 2
      templates:
        app: app.yaml
      services:
        - {name: finance, template: app, values: {prefix: %s}}
        - {name: hr, template: app, values: {prefix: %s}}
      waves:
        - name: night-1
          services: [finance, hr]
          gates:
            - {name: wave-downtime, before: downtime, description: both apps drained}
      """;

  @TempDir Path dir;

  private final CliTestServer server;

  FleetCliTest(CliTestServer server) {
    this.server = server;
  }

  @Test
  void startStatusApproveTheSharedGateOnceAndReportBothWindows() throws Exception {
    // given a fleet file of two services sharing one gate before their downtime
    String name = CliTestServer.uniqueName("fleet");
    String id = FleetNames.fleetWorkflowId(name);
    Path file = writeFleet(name);

    // when it is validated and started
    CliRun validate = CliRun.run("fleet", "validate", file.toString());
    CliRun start = server.connected("fleet", "start", file.toString());

    // then both say so, and the fleet reaches its shared gate with both members waiting there
    assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(ExitCode.OK);
    assertThat(validate.out())
        .contains("ok — fleet " + name + ", 2 service(s) in 1 wave(s), 1 shared gate(s)");
    assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCode.OK);
    assertThat(start.out()).startsWith("started " + id + " (run ");
    awaitFleet(id, s -> "gate:wave-downtime".equals(s.waitingFor()));

    // when an operator asks for its status, by name, as text and JSON, and lists what waits
    CliRun text = server.connected("fleet", "status", name);
    CliRun json = server.connected("fleet", "status", id, "--json");
    CliRun waiting = server.connected("list", "--waiting");

    // then the text shows the open gate with the one command, and each member's own line
    assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCode.OK);
    assertThat(text.out())
        .contains("Fleet " + name + "  (" + id + ")")
        .contains("Waiting for: gate:wave-downtime")
        .contains("cutover fleet approve " + id + " wave-downtime --comment '...'")
        .containsPattern("finance +at-gate")
        .containsPattern("hr +at-gate")
        .contains("its own status: waiting for gate, phase downtime");
    // and the JSON has the fleet's status with both members' own lines
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCode.OK);
    JsonNode status = new ObjectMapper().readTree(json.out());
    assertThat(status.get("waitingFor").asText()).isEqualTo("gate:wave-downtime");
    assertThat(status.get("execution").asText()).isEqualTo("running");
    assertThat(status.get("members")).hasSize(2);
    assertThat(status.get("members").get(0).get("waitingFor").asText())
        .isEqualTo("gate:wave-downtime");
    // and list --waiting shows the fleet beside migrations
    assertThat(waiting.exitCode()).as(waiting.toString()).isEqualTo(ExitCode.OK);
    assertThat(waiting.out())
        .containsPattern(id + " +running +\\(fleet\\) +gate:wave-downtime")
        .contains(
            "fleet: one approval for the wave: cutover fleet approve " + id + " wave-downtime");

    // when someone approves a gate the fleet does not have, then the gate itself
    CliRun wrong = server.connected("fleet", "approve", name, "no-such-gate");
    CliRun approve =
        server.connected("fleet", "approve", name, "wave-downtime", "--comment", "both drained");

    // then the first is refused by the workflow, the second approves the wave at once
    assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCode.REJECTED);
    assertThat(wrong.err()).contains("rejected by " + id);
    assertThat(approve.exitCode()).as(approve.toString()).isEqualTo(ExitCode.OK);
    assertThat(approve.out()).startsWith("approved gate wave-downtime of " + id + " at ");
    FleetResult result = awaitResult(id);
    assertThat(result.state()).isEqualTo("completed");

    // when the report is asked for, as text and JSON
    CliRun report = server.connected("fleet", "report", name);
    CliRun reportJson = server.connected("fleet", "report", id, "--format", "json");

    // then each service has its own window, the wave its window beside the sum and the longest
    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCode.OK);
    assertThat(report.out())
        .contains("Fleet report: " + name + "  (" + id + ")")
        .contains("Outcome:   completed")
        .contains("Wave night-1: window ")
        .contains("the services' windows add up to ")
        .containsPattern("finance +completed +\\d{4}-")
        .containsPattern("hr +completed +\\d{4}-");
    assertThat(reportJson.exitCode()).as(reportJson.toString()).isEqualTo(ExitCode.OK);
    JsonNode r = new ObjectMapper().readTree(reportJson.out());
    Duration finance = Duration.parse(r.get("services").get(0).get("downtime").asText());
    Duration hr = Duration.parse(r.get("services").get(1).get("downtime").asText());
    assertThat(finance).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(hr).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    JsonNode wave = r.get("waves").get(0);
    assertThat(Duration.parse(wave.get("sumOfServices").asText())).isEqualTo(finance.plus(hr));
    assertThat(Duration.parse(wave.get("longest").asText()))
        .isEqualTo(finance.compareTo(hr) >= 0 ? finance : hr);
    Instant first = Instant.parse(wave.get("startedAt").asText());
    Instant last = Instant.parse(wave.get("endedAt").asText());
    assertThat(Duration.parse(wave.get("window").asText()))
        .isEqualTo(Duration.between(first, last));
    for (JsonNode s : r.get("services")) {
      assertThat(Instant.parse(s.get("startedAt").asText())).isAfterOrEqualTo(first);
      assertThat(Instant.parse(s.get("endedAt").asText())).isBeforeOrEqualTo(last);
    }
  }

  @Test
  void abortStopsEveryMemberInFlightAndTheFleetEndsAborted() throws Exception {
    // given a fleet whose two members wait at the shared gate
    String name = CliTestServer.uniqueName("fleet");
    String id = FleetNames.fleetWorkflowId(name);
    CliRun start = server.connected("fleet", "start", writeFleet(name).toString());
    assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCode.OK);
    awaitFleet(id, s -> "gate:wave-downtime".equals(s.waitingFor()));

    // when an operator aborts the fleet
    CliRun abort = server.connected("fleet", "abort", name, "--reason", "window cancelled");

    // then the fleet takes it, ends aborted, and its report says so with no window
    assertThat(abort.exitCode()).as(abort.toString()).isEqualTo(ExitCode.OK);
    assertThat(abort.out()).startsWith("aborting " + id + ": ");
    assertThat(awaitResult(id).state()).isEqualTo("aborted");
    CliRun report = server.connected("fleet", "report", name);
    assertThat(report.out()).contains("Outcome:   aborted").contains("no service has gone down");
    // and status of the ended fleet still tells where it stands
    CliRun status = server.connected("fleet", "status", name);
    assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCode.OK);
    assertThat(status.out()).startsWith("This fleet has ended: ");
    // and the migration commands send a person to the fleet's own
    CliRun asMigration = server.connected("status", id);
    assertThat(asMigration.exitCode()).as(asMigration.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(asMigration.err()).contains(id + " is a fleet: cutover fleet status " + id);
  }

  @Test
  void aBadFleetStartsNothingAndNamesFileLineAndColumn() throws Exception {
    // given a fleet whose services depend on each other in a cycle
    String name = CliTestServer.uniqueName("fleet");
    Path file = writeFleet(name);
    Files.writeString(
        file,
        Files.readString(file)
            .replace(
                "- {name: finance, template: app, values: {prefix: ",
                "- {name: finance, template: app, dependsOn: [hr], values: {prefix: ")
            .replace(
                "- {name: hr, template: app, values: {prefix: ",
                "- {name: hr, template: app, dependsOn: [finance], values: {prefix: "));

    // when it is started
    CliRun start = server.connected("fleet", "start", file.toString());

    // then exit 2, the problem at FILE:LINE:COL, and no fleet on the server
    assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(start.err())
        .containsPattern(file + ":\\d+:\\d+: .*finance")
        .contains("nothing was started");
    CliRun status = server.connected("fleet", "status", name);
    assertThat(status.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(status.err())
        .contains("no fleet with id ")
        .contains(FleetNames.fleetWorkflowId(name));
  }

  private Path writeFleet(String name) throws IOException {
    Files.writeString(dir.resolve("app.yaml"), TEMPLATE);
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, FLEET.formatted(name, name, name));
    return file;
  }

  private FleetStatus awaitFleet(String id, Predicate<FleetStatus> condition) {
    Instant deadline = Instant.now().plus(CliTestServer.PATIENCE);
    FleetStatus last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = server.client().newWorkflowStub(FleetWorkflow.class, id).status();
        if (condition.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        // its first workflow task may not be done yet; ask again
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("fleet " + id + " did not reach the expected state; last: " + last);
  }

  private FleetResult awaitResult(String id) throws Exception {
    return server
        .client()
        .newUntypedWorkflowStub(id)
        .getResult(CliTestServer.PATIENCE.toSeconds(), TimeUnit.SECONDS, FleetResult.class);
  }
}
