package dev.cutover.e2e.browser;

import dev.cutover.workflow.ApproveRequest;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The smallest workflow with cutover's approve signal: it waits at one gate and returns the
 * approval it got, so the test sees exactly what the UI delivered. The description is what the UI's
 * signal list shows, as for the real workflow.
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
}
