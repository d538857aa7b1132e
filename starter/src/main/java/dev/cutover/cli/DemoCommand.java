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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run a real migration on this machine with nothing else installed.",
        "An embedded Temporal server and the worker start, a file tree and a running service in DIR/old move to DIR/new",
        "through every phase, you approve the gates at the prompt (or --yes), and it ends with the step",
        "timeline and the downtime measured."})
class DemoCommand implements Callable<Integer> {
  /** How often the demo polls the workflow's status to show progress. */
  private static final Duration POLL = Duration.ofMillis(300);

  @Spec CommandSpec spec;

  @Option(names = "--yes", description = "Approve every gate without asking.")
  boolean yes;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where to build the demo hosts (default: a new temporary directory).")
  Path dir;

  @Option(names = "--port", paramLabel = "PORT", description = "Loopback port for the embedded Temporal server (default: a free one).")
  Integer port;

  private BufferedReader stdin;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path root = dir != null ? dir : Files.createTempDirectory("cutover-demo-");
    DemoSetup setup = new DemoSetup(root);
    out.println("cutover demo: building the old host in " + setup.root + " (" + DemoSetup.FILES + " files and a running service)");
    out.flush();
    setup.create();
    Plan plan = PlanFiles.load(setup.plan(), spec.commandLine().getErr());
    Path workerLog = setup.root.resolve("worker.log");
    out.println("starting the embedded Temporal server and the worker (log: " + workerLog + ") ...");
    out.flush();
    try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(workerLog, StandardCharsets.UTF_8), true);
        WorkerProcess worker = WorkerProcess.startEmbedded(port != null ? port : WorkerProcess.freeLoopbackPort(), log::println);
        TemporalConnection temporal = new TemporalConnection(worker.address(), "default")) {
      String id = CutoverNames.workflowId(plan.migration());
      MigrationWorkflow workflow = temporal.client.newWorkflowStub(MigrationWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(CutoverNames.TASK_QUEUE).build());
      WorkflowClient.start(workflow::run, MigrationInput.of(plan));
      out.println("started workflow " + id + " on " + worker.address() + "\n");
      out.flush();
      MigrationStatus end = follow(temporal, id, out);
      MigrationResult result = dev.cutover.workflow.MigrationResults.await(temporal.stub(id));
      out.println();
      out.print(Timeline.render(end));
      out.printf("%nOutcome: %s. Downtime measured by the workflow: %s (budget %s).%n",
          result.outcome().name().toLowerCase(Locale.ROOT),
          DurationText.format(result.downtime()),
          DurationText.format(plan.window().downtimeBudget()));
      out.println("The demo hosts are in " + setup.root + " (plan.yaml, old/, new/, dns/).");
      return result.outcome() == MigrationState.COMPLETED ? ExitCode.OK : ExitCode.FAILED;
    } finally {
      setup.stopServices();
    }
  }

  private MigrationStatus follow(TemporalConnection temporal, String id, PrintWriter out) throws Exception {
    Map<String, StepState> shown = new HashMap<>();
    while (true) {
      MigrationStatus status = StatusCommand.query(temporal, id);
      for (StepStatus step : status.steps()) {
        StepState before = shown.put(step.name() + "#" + step.round(), step.state());
        if (before != step.state() && step.state() != StepState.PENDING) {
          out.printf("  %-9s %-20s %s%s%n", step.phase(), step.name(), step.state().name().toLowerCase(Locale.ROOT),
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

  private void approveGate(TemporalConnection temporal, String id, String gate, MigrationStatus status, PrintWriter out) throws Exception {
    String description = status.gates().stream().filter(g -> g.name().equals(gate)).map(GateStatus::description).findFirst().orElse(null);
    out.printf("%n  Gate '%s' is open%s%n", gate, description == null ? "" : ": " + description);
    out.println("  (from another terminal: cutover approve " + id + " " + gate + " --address " + temporal.address + ")");
    boolean approve = yes || ask(out, "  Approve gate " + gate + "? [y/N] ").toLowerCase(Locale.ROOT).startsWith("y");
    if (!approve) {
      out.println("  Not approved: aborting the migration (finished steps are undone).");
      WorkflowUpdates.send(id, "abort", () -> temporal.stub(id).update(CutoverNames.UPDATE_ABORT,
          dev.cutover.workflow.AbortAccepted.class, new dev.cutover.workflow.AbortRequest("gate " + gate + " not approved at the demo prompt", TemporalConnection.identity())));
      return;
    }
    GateApproval approval = WorkflowUpdates.send(id, "approval", () -> temporal.stub(id).update(
        CutoverNames.UPDATE_APPROVE, GateApproval.class, new ApproveRequest(gate, yes ? "approved with --yes" : "approved at the demo prompt", TemporalConnection.identity())));
    out.println("  approved gate " + approval.gate() + "\n");
  }

  private void decide(TemporalConnection temporal, String id, String step, PrintWriter out) throws Exception {
    String answer = yes ? "abort" : ask(out, "  Step " + step + " failed (see `cutover status`). retry, skip or abort? ");
    DecisionAction action;
    try {
      action = DecisionAction.parse(answer.isBlank() ? "abort" : answer);
    } catch (IllegalArgumentException e) {
      out.println("  " + e.getMessage());
      return;
    }
    WorkflowUpdates.send(id, "decision", () -> temporal.stub(id).update(CutoverNames.UPDATE_DECIDE, DecisionRecord.class,
        new DecideRequest(step, action, "decided at the demo prompt", TemporalConnection.identity())));
  }

  private String ask(PrintWriter out, String prompt) throws Exception {
    out.print(prompt);
    out.flush();
    if (stdin == null) {
      stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    String line = stdin.readLine();
    return line == null ? "" : line.trim();
  }
}
