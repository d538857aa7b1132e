package dev.cutover.fleet;

import dev.cutover.workflow.AbortAccepted;
import dev.cutover.workflow.AbortRequest;
import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.GateApproval;
import io.temporal.common.converter.RawValue;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Moves a fleet: each service a child {@code Migration} with its own history, in waves, with shared
 * gates. Operators approve and abort it with a migration's messages and JSON.
 */
@WorkflowInterface
public interface FleetWorkflow {

  @WorkflowMethod(name = FleetNames.WORKFLOW_TYPE)
  FleetResult run(FleetInput input);

  @SignalMethod(
      name = CutoverNames.SIGNAL_APPROVE,
      description =
          "Approve a wave's shared gate once every member in flight waits at it. JSON: {\"gate\": \"NAME\", \"comment\": \"why\"}.")
  void approve(RawValue request);

  @UpdateMethod(
      name = CutoverNames.UPDATE_APPROVE,
      description =
          "Approve a wave's shared gate and learn at once whether it was accepted. JSON: {\"gate\": \"NAME\", \"comment\": \"why\"}.")
  GateApproval approveGate(ApproveRequest request);

  @UpdateValidatorMethod(updateName = CutoverNames.UPDATE_APPROVE)
  void validateApproveGate(ApproveRequest request);

  @SignalMethod(
      name = CutoverNames.SIGNAL_ABORT,
      description =
          "Abort the fleet: no service starts any more, and every member in flight is aborted (undone before its point of no return). JSON: {\"reason\": \"why\"}.")
  void abort(RawValue request);

  @UpdateMethod(
      name = CutoverNames.UPDATE_ABORT,
      description = "Abort the fleet and learn what it does. JSON: {\"reason\": \"why\"}.")
  AbortAccepted abortMigration(AbortRequest request);

  @UpdateValidatorMethod(updateName = CutoverNames.UPDATE_ABORT)
  void validateAbortMigration(AbortRequest request);

  @SignalMethod(
      name = FleetNames.SIGNAL_MEMBER_EVENT,
      description = "Sent by the fleet's own members: a gate opened, a step blocked, it went on.")
  void memberEvent(MemberEvent event);

  @QueryMethod(
      name = CutoverNames.QUERY_STATUS,
      description = "Every wave and service: state, phase, what each waits for; the shared gates.")
  FleetStatus status();
}
