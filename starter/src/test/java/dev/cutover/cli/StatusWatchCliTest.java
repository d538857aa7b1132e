package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cli.CliTestServer.CliRun;
import dev.cutover.workflow.CutoverNames;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutover status --watch} follows a run to its end, with the running step's progress. */
@ExtendWith(CliTestServer.class)
class StatusWatchCliTest {
  @TempDir Path dir;

  private final CliTestServer server;

  StatusWatchCliTest(CliTestServer server) {
    this.server = server;
  }

  @Test
  void watchShowsTheRunningCommandsProgressAndEndsWithTheRunExitingZero() throws Exception {
    // given a migration whose step prints a line and runs for a few seconds
    String migration = CliTestServer.uniqueName("watch");
    String id = CutoverNames.workflowId(migration);
    String plan =
        CliTestServer.writePlan(
                dir,
                migration,
                """
        migration: ${migration}
        hosts: {old: {transport: local}}
        phases:
          prepare: {steps: [{name: copy, kind: run, host: old, command: 'echo copying part 1 of 3; sleep 5; echo done'}]}
        """)
            .toString();
    assertThat(server.connected("start", plan).exitCode()).isEqualTo(ExitCode.OK);

    // when an operator watches it
    CliRun watch =
        CompletableFuture.supplyAsync(
                () -> server.connected("status", id, "--watch", "--interval", "500ms"))
            .get(CliTestServer.PATIENCE.toSeconds(), TimeUnit.SECONDS);

    // then the watch ended by itself when the run completed, exit 0
    assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCode.OK);
    assertThat(watch.out()).contains("State:  completed");
    // and while the step ran, it showed the command's progress from its heartbeat
    assertThat(watch.out())
        .contains("Running now:")
        .containsPattern(
            "step copy: RunCommand · started · running \\d+s, last line: copying part 1 of 3");
    // and, its output not being a terminal, it printed one block per refresh, with no escape codes
    assertThat(watch.out().split("Migration " + migration + " ", -1).length - 1).isGreaterThan(2);
    assertThat(watch.out()).doesNotContain("\033[");
  }

  @Test
  void watchOfAnAbortedMigrationEndsWithExitOne() throws Exception {
    // given a migration waiting at a gate, watched by an operator
    String migration = CliTestServer.uniqueName("watch-abort");
    String id = CutoverNames.workflowId(migration);
    String plan = CliTestServer.writePlan(dir, migration, CliTest.GATED_PLAN).toString();
    assertThat(server.connected("start", plan).exitCode()).isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> "gate:go-downtime".equals(s.waitingFor()));
    CompletableFuture<CliRun> watch =
        CompletableFuture.supplyAsync(
            () -> server.connected("status", id, "--watch", "--interval", "300ms"));

    // when another operator aborts it
    Thread.sleep(1000);
    assertThat(server.connected("abort", id, "--reason", "not tonight").exitCode())
        .isEqualTo(ExitCode.OK);

    // then the watch showed the open gate with the command to approve it, and ends with exit 1
    CliRun done = watch.get(CliTestServer.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(done.out()).contains("cutover approve " + id + " go-downtime --comment '...'");
    assertThat(done.out()).contains("State:  aborted");
    assertThat(done.exitCode()).as(done.toString()).isEqualTo(ExitCode.FAILED);
  }

  @Test
  void anIntervalThatIsNoDurationIsInvalidInput() {
    CliRun run = server.connected("status", "cutover-anything", "--watch", "--interval", "soon");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err().strip())
        .isEqualTo("cutover: --interval soon: give a duration like 2s, 500ms or 1m");
  }
}
