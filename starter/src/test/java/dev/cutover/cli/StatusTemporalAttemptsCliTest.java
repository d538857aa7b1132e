package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.cli.CliTestServer.CliRun;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.MigrationState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TRY in {@code cutover status} and {@code attempts} in {@code status --json} count Temporal's
 * attempts, also those Temporal retried on its own, which the workflow never hears of.
 */
@ExtendWith(CliTestServer.class)
class StatusTemporalAttemptsCliTest {
  @TempDir Path dir;

  private final CliTestServer server;

  StatusTemporalAttemptsCliTest(CliTestServer server) {
    this.server = server;
  }

  /** A command that fails until it has run {@code failures} times, counting its runs in a file. */
  private String failsFirst(String counter, int failures) {
    Path file = dir.resolve(counter);
    return "n=$(cat '%s' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '%s'; test $n -gt %d"
        .formatted(file, file, failures);
  }

  @Test
  void aStepTemporalRetriedOnItsOwnShowsBothAttempts() throws Exception {
    // given a step whose first attempt fails (retryable: exit 1) and whose second succeeds
    String migration = CliTestServer.uniqueName("try-retried");
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
              - name: flaky
                kind: run
                host: old
                command: "%s"
                retry: {maxAttempts: 3, initialInterval: 100ms}
        """
                .formatted(failsFirst("flaky-runs", 1)));
    CliRun started = server.connected("start", plan.toString());
    assertThat(started.exitCode()).as(started.toString()).isEqualTo(ExitCode.OK);
    assertThat(server.awaitResult(id).outcome()).isEqualTo(MigrationState.COMPLETED);

    // when an operator asks for the status, as text and as JSON
    CliRun text = server.connected("status", id);
    CliRun json = server.connected("status", id, "--json");

    // then both say the step took two attempts
    assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCode.OK);
    assertThat(text.out()).containsPattern("flaky +run +succeeded +2 ");
    assertThat(attempts(json, "flaky")).as(json.toString()).isEqualTo(2);
  }

  @Test
  void aStepRetriedByDecisionAfterSpentRetriesCountsTheAttemptsOfBothTries() throws Exception {
    // given a step with two attempts per try that fails three times, then succeeds
    String migration = CliTestServer.uniqueName("try-decided");
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
              - name: stubborn
                kind: run
                host: old
                command: "%s"
                retry: {maxAttempts: 2, initialInterval: 100ms}
        """
                .formatted(failsFirst("stubborn-runs", 3)));
    CliRun started = server.connected("start", plan.toString());
    assertThat(started.exitCode()).as(started.toString()).isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> s.state() == MigrationState.BLOCKED);
    assertThat(
            server
                .connected("decide", id, "stubborn", "retry", "--comment", "once more")
                .exitCode())
        .isEqualTo(ExitCode.OK);
    assertThat(server.awaitResult(id).outcome()).isEqualTo(MigrationState.COMPLETED);

    // when an operator asks for the status
    CliRun text = server.connected("status", id);
    CliRun json = server.connected("status", id, "--json");

    // then TRY counts the 2 attempts of the first try and the 2 of the second
    assertThat(text.out()).as(text.toString()).containsPattern("stubborn +run +succeeded +4 ");
    assertThat(attempts(json, "stubborn")).as(json.toString()).isEqualTo(4);
  }

  @Test
  void aRunningStepWaitingOutItsRetryBackoffShowsTheAttemptItIsAt() throws Exception {
    // given a step that always fails, with a long wait before its second attempt
    String migration = CliTestServer.uniqueName("try-backoff");
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
              - name: waiting
                kind: run
                host: old
                command: "%s"
                retry: {maxAttempts: 3, initialInterval: 4m}
        """
                .formatted(failsFirst("waiting-runs", 99)));
    CliRun started = server.connected("start", plan.toString());
    assertThat(started.exitCode()).as(started.toString()).isEqualTo(ExitCode.OK);
    try {
      // when its first attempt has failed and Temporal waits to start the second
      Instant deadline = Instant.now().plus(CliTestServer.PATIENCE);
      CliRun json = server.connected("status", id, "--json");
      while (attempts(json, "waiting") < 2 && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
        json = server.connected("status", id, "--json");
      }

      // then the running step shows attempt 2, as text and as JSON
      assertThat(attempts(json, "waiting")).as(json.toString()).isEqualTo(2);
      assertThat(new ObjectMapper().readTree(json.out()).path("state").asText())
          .isEqualTo("RUNNING");
      CliRun text = server.connected("status", id);
      assertThat(text.out()).as(text.toString()).containsPattern("waiting +run +running +2 ");
    } finally {
      server.untyped(id).terminate("test over");
    }
  }

  @Test
  void watchCountsTheRetriedAttemptOnceTheStepHasEnded() throws Exception {
    // given a step whose first attempt fails after a second and whose second succeeds, watched from
    // the start
    String migration = CliTestServer.uniqueName("try-watch");
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
              - name: slow-flaky
                kind: run
                host: old
                command: "sleep 1; %s"
                retry: {maxAttempts: 3, initialInterval: 1s}
        """
                .formatted(failsFirst("slow-flaky-runs", 1)));
    CliRun started = server.connected("start", plan.toString());
    assertThat(started.exitCode()).as(started.toString()).isEqualTo(ExitCode.OK);

    // when an operator watches it to its end
    CliRun watch =
        CompletableFuture.supplyAsync(
                () -> server.connected("status", id, "--watch", "--interval", "300ms"))
            .get(CliTestServer.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    // then it showed the first attempt running, then the second, and the last block counts both
    assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCode.OK);
    assertThat(watch.out())
        .containsPattern("slow-flaky +run +running +1 ")
        .containsPattern("slow-flaky +run +running +2 ");
    String last = watch.out().substring(watch.out().lastIndexOf("Migration " + migration));
    assertThat(last).containsPattern("slow-flaky +run +succeeded +2 ");
  }

  private static int attempts(CliRun json, String step) throws Exception {
    for (JsonNode s : new ObjectMapper().readTree(json.out()).path("steps")) {
      if (s.path("name").asText().equals(step)) {
        return s.path("attempts").asInt();
      }
    }
    throw new AssertionError("no step " + step + " in " + json);
  }
}
