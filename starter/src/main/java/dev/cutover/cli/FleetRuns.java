package dev.cutover.cli;

import dev.cutover.fleet.FleetNames;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;

/** Finds the fleet an operator's ID names on the server: by its name or its workflow id. */
final class FleetRuns {
  private FleetRuns() {}

  /**
   * The fleet's latest run, described; a clear failure when there is none, or when the ID names a
   * migration instead.
   */
  static DescribeWorkflowExecutionResponse find(TemporalConnection temporal, String id) {
    for (String candidate : FleetFiles.candidateIds(id)) {
      DescribeWorkflowExecutionResponse described;
      try {
        described =
            temporal
                .service()
                .blockingStub()
                .describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(temporal.namespace)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(candidate))
                        .build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          continue;
        }
        throw new CliFailure(
            ExitCode.FAILED,
            "cannot describe " + candidate + ": " + TemporalConnection.rootMessage(e));
      }
      String type = described.getWorkflowExecutionInfo().getType().getName();
      if (!type.equals(FleetNames.WORKFLOW_TYPE)) {
        throw new CliFailure(
            ExitCode.INVALID_INPUT,
            candidate
                + " is a workflow of type '"
                + type
                + "', not a fleet"
                + ("Migration".equals(type)
                    ? ": use cutover status/approve/abort " + candidate
                    : ""));
      }
      return described;
    }
    throw new CliFailure(
        ExitCode.FAILED,
        "no fleet with id "
            + String.join(" or ", FleetFiles.candidateIds(id))
            + " in namespace "
            + temporal.namespace);
  }

  static String workflowId(DescribeWorkflowExecutionResponse described) {
    return described.getWorkflowExecutionInfo().getExecution().getWorkflowId();
  }
}
