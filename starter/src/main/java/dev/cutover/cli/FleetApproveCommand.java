package dev.cutover.cli;

import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.GateApproval;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description = {
      "Approve a wave's shared gate, once for the whole wave.",
      "The fleet approves it for every member waiting at it (each member's history",
      "records \"fleet NAME: <you>\"); members that reach it later are approved at",
      "once. The gate must be open: every member of the wave in flight waits at it;",
      "otherwise exit 3 with the members it still waits for.",
      "A member's own gate is approved on the member: cutover approve cutover-MIGRATION GATE.",
      "Same as sending update 'approveGate' (or signal 'approve') to the fleet with",
      "{\"gate\": \"GATE\", \"comment\": \"...\"}."
    })
class FleetApproveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "ID", description = "The fleet's name or workflow id.")
  String id;

  @Parameters(
      index = "1",
      paramLabel = "GATE",
      description = "The shared gate's name, as in the fleet file.")
  String gate;

  @Option(
      names = "--comment",
      paramLabel = "TEXT",
      description = "Why it is safe to go on; kept in the fleet's and every member's history.")
  String comment;

  @Override
  public Integer call() {
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      String workflowId = FleetRuns.workflowId(FleetRuns.find(temporal, id));
      ApproveRequest request = new ApproveRequest(gate, comment, TemporalConnection.identity());
      GateApproval approval =
          WorkflowUpdates.send(
              workflowId,
              "approval of shared gate " + gate,
              () ->
                  temporal
                      .stub(workflowId)
                      .update(CutoverNames.UPDATE_APPROVE, GateApproval.class, request));
      spec.commandLine().getOut().println(ApproveCommand.verdict(workflowId, approval));
      return ExitCode.OK;
    }
  }
}
