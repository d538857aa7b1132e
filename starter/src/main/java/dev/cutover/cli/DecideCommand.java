package dev.cutover.cli;

import dev.cutover.cli.report.TerminalText;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.DecideRequest;
import dev.cutover.workflow.DecisionAction;
import dev.cutover.workflow.DecisionRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "decide",
    mixinStandardHelpOptions = true,
    description = {
      "Retry, skip or abort a step whose retries are spent.",
      "Retry after fixing the cause. Exit 3 with the workflow's reason if that step is not waiting.",
      "Same as signal 'decide' with {\"step\": \"STEP\", \"action\": \"retry\", \"comment\": \"...\"}."
    })
class DecideCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id.")
  String id;

  @Parameters(index = "1", paramLabel = "STEP", description = "The blocked step's name.")
  String step;

  @Parameters(index = "2", paramLabel = "ACTION", description = "retry, skip or abort.")
  String action;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why; kept in the history.")
  String comment;

  @Override
  public Integer call() {
    DecisionAction parsed;
    try {
      parsed = DecisionAction.parse(action);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCode.INVALID_INPUT, e.getMessage());
    }
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      DecisionRecord decision =
          WorkflowUpdates.send(
              id,
              "decision on step " + step,
              () ->
                  temporal
                      .stub(id)
                      .update(
                          CutoverNames.UPDATE_DECIDE,
                          DecisionRecord.class,
                          new DecideRequest(step, parsed, comment, TemporalConnection.identity())));
      spec.commandLine()
          .getOut()
          .printf(
              "decided %s for step %s of %s%n",
              decision.action().wireName(),
              TerminalText.line(decision.step()),
              TerminalText.line(id));
      return ExitCode.OK;
    }
  }
}
