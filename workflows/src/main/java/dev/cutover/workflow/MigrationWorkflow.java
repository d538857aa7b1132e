package dev.cutover.workflow;

import io.temporal.common.converter.RawValue;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One migration, from the plan's first phase to its last, with people approving the risky moments.
 */
/**
 * The signals take their one JSON argument raw (its shape is in each description; the workflow
 * reads it as {@link ApproveRequest}, {@link DecideRequest} or {@link AbortRequest}), so an
 * argument the SDK could not decode is noted in status too instead of only in the worker's log.
 */
@WorkflowInterface
public interface MigrationWorkflow {

  @WorkflowMethod(name = "Migration")
  MigrationResult run(MigrationInput input);

  @SignalMethod(
      name = CutoverNames.SIGNAL_APPROVE,
      description =
          "Approve an open gate. JSON: {\"gate\": \"NAME\", \"comment\": \"why\"}. Ignored (and noted in status) if the gate is not open.")
  void approve(RawValue request);

  @UpdateMethod(
      name = CutoverNames.UPDATE_APPROVE,
      description =
          "Approve an open gate and learn at once whether it was accepted. JSON: {\"gate\": \"NAME\", \"comment\": \"why\"}.")
  GateApproval approveGate(ApproveRequest request);

  @UpdateValidatorMethod(updateName = CutoverNames.UPDATE_APPROVE)
  void validateApproveGate(ApproveRequest request);

  @SignalMethod(
      name = CutoverNames.SIGNAL_DECIDE,
      description =
          "Decide on a blocked step. JSON: {\"step\": \"NAME\", \"action\": \"retry|skip|abort\", \"comment\": \"why\"}.")
  void decide(RawValue request);

  @UpdateMethod(
      name = CutoverNames.UPDATE_DECIDE,
      description =
          "Decide on a blocked step and learn at once whether it was accepted. JSON: {\"step\": \"NAME\", \"action\": \"retry|skip|abort\", \"comment\": \"why\"}.")
  DecisionRecord decideStep(DecideRequest request);

  @UpdateValidatorMethod(updateName = CutoverNames.UPDATE_DECIDE)
  void validateDecideStep(DecideRequest request);

  @SignalMethod(
      name = CutoverNames.SIGNAL_ABORT,
      description =
          "Abort the migration. Before the point of no return, finished steps are undone in reverse; after it, the run stops and holds. JSON: {\"reason\": \"why\"}.")
  void abort(RawValue request);

  @UpdateMethod(
      name = CutoverNames.UPDATE_ABORT,
      description =
          "Abort the migration and learn whether it will undo or hold. JSON: {\"reason\": \"why\"}.")
  AbortAccepted abortMigration(AbortRequest request);

  @UpdateValidatorMethod(updateName = CutoverNames.UPDATE_ABORT)
  void validateAbortMigration(AbortRequest request);

  @QueryMethod(
      name = CutoverNames.QUERY_STATUS,
      description =
          "Phase, every step's state, the open gate or blocked step, and what to send to move on.")
  MigrationStatus status();
}
