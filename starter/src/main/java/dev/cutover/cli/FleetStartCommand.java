package dev.cutover.cli;

import dev.cutover.fleet.Fleet;
import dev.cutover.fleet.FleetInput;
import dev.cutover.fleet.FleetNames;
import dev.cutover.fleet.FleetWorkflow;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DefaultDataConverter;
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
      "Validate a fleet file and start the fleet workflow.",
      "The workflow id is fleet-NAME unless --id is given. Each service runs as its",
      "own migration (workflow id cutover-MIGRATION, as if started alone), started",
      "by the fleet when its wave, its dependencies and the concurrency limit",
      "allow. A second start of a running fleet is refused; a bad fleet or member",
      "plan starts nothing (exit 2)."
    })
class FleetStartCommand implements Callable<Integer> {
  /**
   * Temporal refuses a workflow input over 2 MiB (its default blob size limit); refusing here says
   * why in the operator's terms instead of a server error.
   */
  static final long MAX_INPUT_BYTES = 2L * 1024 * 1024;

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "FLEET", description = "The fleet file (YAML).")
  Path file;

  @Option(names = "--id", paramLabel = "ID", description = "Workflow id (default: fleet-<fleet>).")
  String id;

  @Override
  public Integer call() {
    Fleet fleet = FleetFiles.load(file, spec.commandLine().getErr());
    String workflowId = id != null ? id : FleetNames.fleetWorkflowId(fleet.fleet());
    FleetInput input = new FleetInput(fleet);
    long size =
        DefaultDataConverter.STANDARD_INSTANCE
            .toPayloads(input)
            .map(Payloads::getSerializedSize)
            .orElse(0);
    if (size > MAX_INPUT_BYTES) {
      throw new CliFailure(
          ExitCode.INVALID_INPUT,
          file
              + ": the fleet with its "
              + fleet.services().size()
              + " plans is "
              + size
              + " bytes as workflow input, over Temporal's limit of "
              + MAX_INPUT_BYTES
              + "; split it into several fleets; nothing was started");
    }
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      FleetWorkflow workflow =
          temporal.client.newWorkflowStub(
              FleetWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(workflowId)
                  .setTaskQueue(CutoverNames.TASK_QUEUE)
                  .setTypedSearchAttributes(
                      SearchAttributes.newBuilder()
                          .set(CutoverSearchAttributes.MIGRATION, fleet.fleet())
                          .build())
                  .setStaticSummary("cutover fleet: " + fleet.fleet())
                  .build());
      var execution = WorkflowClient.start(workflow::run, input);
      var out = spec.commandLine().getOut();
      out.printf(
          "started %s (run %s): %d service(s) in %d wave(s)%n",
          execution.getWorkflowId(),
          execution.getRunId(),
          fleet.services().size(),
          fleet.waves().size());
      out.printf("follow it:  cutover fleet status %s%n", execution.getWorkflowId());
      return ExitCode.OK;
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CliFailure(
          ExitCode.FAILED,
          "a fleet with id "
              + workflowId
              + " is already running; see `cutover fleet status "
              + workflowId
              + "`, or pass --id");
    }
  }
}
