package dev.cutover.workflow;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Migrations live for weeks while the worker is upgraded: every history recorded from a released
 * version must replay against today's code without a non-determinism error.
 */
class ReplayTest {
  static final Path HISTORIES = Path.of("src/test/resources/histories");

  static Stream<Path> histories() throws IOException {
    try (Stream<Path> files = Files.walk(HISTORIES)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void recordedHistoryReplaysAgainstTodaysCode(Path history) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(Files.readString(history), MigrationWorkflowImpl.class);
  }
}
