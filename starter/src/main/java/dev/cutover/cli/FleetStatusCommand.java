package dev.cutover.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.cli.report.TerminalText;
import dev.cutover.fleet.FleetServiceStatus;
import dev.cutover.fleet.FleetStatus;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.MigrationStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show a fleet's waves, shared gates and every service.",
      "The fleet's state and what it waits for (a shared gate; a decision while",
      "held), and for each member in flight its own phase, step and what it waits",
      "for, with the command that moves it on.",
      "Exit 0 when it could tell where the fleet stands, also for one that ended; 1",
      "when it could not."
    })
class FleetStatusCommand implements Callable<Integer> {
  /**
   * A member's own line is a nicety beside the fleet's; a member whose worker is away must not hold
   * up the rest for the full query patience.
   */
  static final Duration MEMBER_PATIENCE = Duration.ofSeconds(5);

  /** Members are asked one by one; past this many, the fleet's own line per service has to do. */
  static final int MAX_MEMBER_QUERIES = 100;

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The fleet's name or workflow id (fleet-NAME).")
  String id;

  @Option(
      names = "--json",
      description = "Print the fleet's status as JSON, its members' own lines under 'members'.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      DescribeWorkflowExecutionResponse described = FleetRuns.find(temporal, id);
      String workflowId = FleetRuns.workflowId(described);
      WorkflowExecutionStatus execution = described.getWorkflowExecutionInfo().getStatus();
      boolean closed = execution != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      String ended = closed ? RunEnd.describe(temporal, described) : null;
      FleetStatus status;
      try {
        status = query(temporal, workflowId);
      } catch (CliFailure e) {
        if (!closed) {
          throw e;
        }
        // A fleet that was terminated may not answer; what describe said is then enough.
        status = null;
      }
      Map<String, FleetMemberLine> members =
          status == null || closed ? Map.of() : members(temporal, status);
      if (json) {
        ObjectNode node =
            (ObjectNode) Json.withExecution(status, StatusCommand.executionName(execution), ended);
        node.set("members", Json.MAPPER.valueToTree(List.copyOf(members.values())));
        out.print(Json.write(node) + "\n");
      } else {
        if (ended != null) {
          out.print(
              TerminalText.block(
                  "This fleet has ended: "
                      + ended
                      + ".\n"
                      + (status == null
                          ? "Its last status cannot be read"
                          : "Below is the last status it recorded")
                      + "; every service's window: cutover fleet report "
                      + TerminalText.line(workflowId)
                      + "\n"
                      + (status == null ? "" : "\n")));
        }
        if (status != null) {
          out.print(FleetStatusView.render(workflowId, status, members, !closed));
        }
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  static FleetStatus query(TemporalConnection temporal, String workflowId) {
    try {
      return TemporalConnection.answerWithin(
          StatusCommand.QUERY_PATIENCE,
          () -> temporal.stub(workflowId).query(CutoverNames.QUERY_STATUS, FleetStatus.class));
    } catch (TimeoutException e) {
      throw new CliFailure(
          ExitCode.FAILED,
          "cannot read the status of "
              + workflowId
              + ": no answer within "
              + StatusCommand.QUERY_PATIENCE.toSeconds()
              + "s (is a cutover worker running? see the Temporal UI)");
    } catch (RuntimeException e) {
      throw new CliFailure(
          ExitCode.FAILED,
          "cannot read the status of "
              + workflowId
              + ": "
              + TemporalConnection.rootMessage(e)
              + " (is a cutover worker running?)");
    }
  }

  /** Each member in flight's own status, by service name, in the fleet's order. */
  private static Map<String, FleetMemberLine> members(
      TemporalConnection temporal, FleetStatus status) {
    Set<String> shared = FleetStatusView.sharedGates(status);
    Map<String, FleetMemberLine> lines = new LinkedHashMap<>();
    for (FleetServiceStatus s : status.services()) {
      if (!inFlight(s.state()) || s.workflowId() == null) {
        continue;
      }
      if (lines.size() >= MAX_MEMBER_QUERIES) {
        break;
      }
      try {
        MigrationStatus m =
            TemporalConnection.answerWithin(
                MEMBER_PATIENCE,
                () ->
                    temporal
                        .stub(s.workflowId())
                        .query(CutoverNames.QUERY_STATUS, MigrationStatus.class));
        lines.put(s.name(), FleetStatusView.member(s, m, shared));
      } catch (TimeoutException | RuntimeException e) {
        lines.put(
            s.name(),
            new FleetMemberLine(
                s.name(),
                s.workflowId(),
                s.state(),
                s.phase(),
                null,
                s.waitingFor(),
                "",
                "cannot be read: "
                    + (e instanceof TimeoutException
                        ? "no answer within " + MEMBER_PATIENCE.toSeconds() + "s"
                        : TemporalConnection.rootMessage(e))));
      }
    }
    return lines;
  }

  /** The fleet's states of a member that has started and not ended. */
  static boolean inFlight(String state) {
    return "running".equals(state) || "at-gate".equals(state) || "blocked".equals(state);
  }
}
