package dev.cutover.cli;

import dev.cutover.cli.report.TerminalText;
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
      "Approve an open gate.",
      "The workflow answers at once: exit 3 with its reason if the gate is unknown, not open yet,",
      "or already approved. Temporal records your identity on the event.",
      "Same as sending signal 'approve' with {\"gate\": \"GATE\", \"comment\": \"...\"} from the Temporal UI."
    })
class ApproveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id.")
  String id;

  @Parameters(index = "1", paramLabel = "GATE", description = "Gate name, as in the plan.")
  String gate;

  @Option(
      names = "--comment",
      paramLabel = "TEXT",
      description = "Why it is safe to go on; kept in the history.")
  String comment;

  @Override
  public Integer call() {
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      GateApproval approval =
          WorkflowUpdates.send(
              id,
              "approval of gate " + gate,
              () ->
                  temporal
                      .stub(id)
                      .update(
                          CutoverNames.UPDATE_APPROVE,
                          GateApproval.class,
                          new ApproveRequest(gate, comment, TemporalConnection.identity())));
      spec.commandLine()
          .getOut()
          .printf(
              "approved gate %s of %s at %s%n",
              TerminalText.line(approval.gate()), TerminalText.line(id), approval.approvedAt());
      return ExitCode.OK;
    }
  }
}
