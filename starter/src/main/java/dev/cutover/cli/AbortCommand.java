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
      "Abort a migration: undo before the point of no return, hold after it.",
      "Before the point of no return the workflow undoes finished steps in reverse; after it, the run",
      "stops and holds. The step in flight is canceled (its process killed)."
    })
class AbortCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "Workflow id.")
  String id;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why; kept in the history and the report.")
  String reason;

  @Override
  public Integer call() {
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      AbortAccepted accepted =
          WorkflowUpdates.send(
              id,
              "abort",
              () ->
                  temporal
                      .stub(id)
                      .update(
                          CutoverNames.UPDATE_ABORT,
                          AbortAccepted.class,
                          new AbortRequest(reason, TemporalConnection.identity())));
      spec.commandLine()
          .getOut()
          .printf(
              "aborting %s: %s%n", TerminalText.line(id), TerminalText.line(accepted.message()));
      return ExitCode.OK;
    }
  }
}
