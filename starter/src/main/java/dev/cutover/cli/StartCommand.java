package dev.cutover.cli;

import dev.cutover.plan.Plan;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a plan and start its migration workflow.",
      "The workflow id is cutover-MIGRATION unless --id is given; a second start of a running migration is refused."
    })
class StartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "PLAN", description = "The plan file (YAML).")
  Path plan;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Workflow id (default: cutover-<migration>).")
  String id;

  @Override
  public Integer call() {
    Plan p = PlanFiles.load(plan, spec.commandLine().getErr());
    String workflowId = id != null ? id : CutoverNames.workflowId(p.migration());
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      MigrationWorkflow workflow =
          temporal.client.newWorkflowStub(
              MigrationWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(workflowId)
                  .setTaskQueue(CutoverNames.TASK_QUEUE)
                  .setTypedSearchAttributes(
                      SearchAttributes.newBuilder()
                          .set(CutoverSearchAttributes.MIGRATION, p.migration())
                          .set(CutoverSearchAttributes.PHASE, "starting")
                          .build())
                  .setStaticSummary("cutover: " + p.migration())
                  .build());
      var execution = WorkflowClient.start(workflow::run, MigrationInput.of(p));
      var out = spec.commandLine().getOut();
      out.printf("started %s (run %s)%n", execution.getWorkflowId(), execution.getRunId());
      out.printf("follow it:  cutover status %s --watch%n", execution.getWorkflowId());
      return ExitCode.OK;
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CliFailure(
          ExitCode.FAILED,
          "a migration with id "
              + workflowId
              + " is already running; see `cutover status "
              + workflowId
              + "`, or pass --id");
    }
  }
}
