package dev.cutover.cli;

import dev.cutover.cli.report.TerminalText;
import dev.cutover.workflow.AbortAccepted;
import dev.cutover.workflow.AbortRequest;
import dev.cutover.workflow.CutoverNames;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "abort",
    mixinStandardHelpOptions = true,
    description = {
      "Abort a fleet: start nothing more, abort every member in flight.",
      "Each member gets your reason and undoes its finished steps in reverse before",
      "its point of no return, or holds after it. The fleet ends aborted once every",
      "member has ended: cutover fleet status ID."
    })
class FleetAbortCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The fleet's name or workflow id.")
  String id;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why; kept in the fleet's and every member's history and report.")
  String reason;

  @Override
  public Integer call() {
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      String workflowId = FleetRuns.workflowId(FleetRuns.find(temporal, id));
      AbortAccepted accepted =
          WorkflowUpdates.send(
              workflowId,
              "abort",
              () ->
                  temporal
                      .stub(workflowId)
                      .update(
                          CutoverNames.UPDATE_ABORT,
                          AbortAccepted.class,
                          new AbortRequest(reason, TemporalConnection.identity())));
      spec.commandLine()
          .getOut()
          .printf(
              "aborting %s: %s%n",
              TerminalText.line(workflowId), TerminalText.line(accepted.message()));
      return ExitCode.OK;
    }
  }
}
