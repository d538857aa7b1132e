package dev.cutover.e2e.browser;

import dev.cutover.workflow.ApproveRequest;
import io.temporal.workflow.Workflow;

public class GateWorkflowImpl implements GateWorkflow {
  private String gate;
  private ApproveRequest approval;

  @Override
  public ApproveRequest awaitApproval(String gate) {
    this.gate = gate;
    // What the UI shows under User Metadata > Current Details, as the real workflow does at a gate.
    Workflow.setCurrentDetails("Waiting for approval: gate `" + gate + "`");
    Workflow.await(() -> approval != null);
    return approval;
  }

  @Override
  public void approve(ApproveRequest request) {
    // Like cutover, an approval of another gate does not open this one.
    if (request != null && request.gate() != null && request.gate().equals(gate)) {
      approval = request;
    }
  }

  @Override
  public ApproveRequest approveGate(ApproveRequest request) {
    approval = request;
    return request;
  }

  @Override
  public void validateApproveGate(ApproveRequest request) {
    if (request == null || request.gate() == null || !request.gate().equals(gate)) {
      throw new IllegalArgumentException(
          "gate '"
              + (request == null ? null : request.gate())
              + "' is not open; the open gate is '"
              + gate
              + "'");
    }
  }
}
