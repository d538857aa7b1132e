package dev.cutover.workflow;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Migrations live for weeks while the worker is upgraded: every history recorded from a released
 * version must replay against today's code without a non-determinism error. The v5 {@code waiting-*}
 * histories are runs of the released worker on a real server, open at a gate and at a decision, as
 * a worker upgrade finds them ({@code CUTOVER_UPGRADE_RECORD=DIR e2e/upgrade.sh} records them).
 */
class ReplayTest {
  static final Path HISTORIES = Path.of("src/test/resources/histories");

  static Stream<Path> histories() throws IOException {
    try (Stream<Path> files = Files.walk(HISTORIES)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  /**
   * The first replay in a JVM loads the workflow's classes (Jackson, the plan model) on the workflow
   * thread; on a loaded machine that can pass the SDK's 1s deadlock detector. One warm-up replay,
   * whatever its outcome, keeps that cost out of the replays that count.
   */
  @BeforeAll
  static void warmUp() throws IOException {
    try {
      WorkflowReplayer.replayWorkflowExecution(Files.readString(histories().findFirst().orElseThrow()), MigrationWorkflowImpl.class);
    } catch (Exception ignored) {
      // judged by the test itself
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void recordedHistoryReplaysAgainstTodaysCode(Path history) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(Files.readString(history), MigrationWorkflowImpl.class);
  }
}
