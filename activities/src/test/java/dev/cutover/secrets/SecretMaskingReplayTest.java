package dev.cutover.secrets;

import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.MigrationWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interceptor's workflow side adds a header to the activities a run schedules and nothing else:
 * every history the workflows module keeps (recorded without it) still replays on a worker that has
 * it. (The corpus run, recorded with it, replays without it in {@link SecretsDoNotSlipOutTest}.)
 */
class SecretMaskingReplayTest {
  static final Path HISTORIES = Path.of("../workflows/src/test/resources/histories");

  static Stream<Path> histories() throws IOException {
    try (Stream<Path> files = Files.walk(HISTORIES)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void recordedHistoryReplaysWithTheInterceptor(Path history) throws Exception {
    // given a worker with the masking interceptor
    TestEnvironmentOptions options =
        TestEnvironmentOptions.newBuilder()
            .setWorkerFactoryOptions(
                WorkerFactoryOptions.newBuilder()
                    .setWorkerInterceptors(
                        new SecretMaskingInterceptor(new SecretResolver(Map.of())))
                    .build())
            .build();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options)) {
      Worker worker = env.newWorker(CutoverNames.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(
          MigrationWorkflowImpl.class, dev.cutover.fleet.FleetWorkflowImpl.class);

      // when a history recorded before it existed is replayed
      // then it replays without a non-determinism error (the replayer throws on one)
      WorkflowReplayer.replayWorkflowExecution(
          WorkflowExecutionHistory.fromJson(Files.readString(history)), worker);
    }
  }
}
