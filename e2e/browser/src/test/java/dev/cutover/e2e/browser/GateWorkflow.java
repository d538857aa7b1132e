package dev.cutover.e2e.browser;

import dev.cutover.workflow.ApproveRequest;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The smallest workflow with cutover's approve signal and approveGate update: it waits at one gate
 * and returns the approval it got, so the test sees exactly what the UI delivered. The description
 * is what the UI's signal list shows, as for the real workflow.
 */
@WorkflowInterface
public interface GateWorkflow {
  @WorkflowMethod
  ApproveRequest awaitApproval(String gate);

  @SignalMethod(
      name = "approve",
      description =
          "Approve an open gate. JSON: {\"gate\": \"NAME\", \"comment\": \"why\", \"by\": \"who\"}.")
  void approve(ApproveRequest request);

  /** cutover's approveGate, in small: answers with the approval it took. */
  @UpdateMethod(
      name = "approveGate",
      description =
          "Approve an open gate and learn at once whether it was accepted. JSON: {\"gate\": \"NAME\", \"comment\": \"why\"}.")
  ApproveRequest approveGate(ApproveRequest request);

  /** Refuses an approval of another gate than the open one, as cutover's validator does. */
  @UpdateValidatorMethod(updateName = "approveGate")
  void validateApproveGate(ApproveRequest request);
}
