package dev.cutover.workflow;

import java.time.Instant;
import java.util.List;

/**
 * A gate as status shows it and the checkpoint carries it.
 *
 * @param by who approved (for a gate under an approval policy: every counted approver, as shown)
 * @param required how many approvals the gate's policy needs; {@code null}: no policy, one
 *     approval of any kind
 * @param approvals the approvals counted so far (policy gates only; at most {@code required})
 * @param stillNeeded the approvers whose approval would still count (policy gates only)
 */
public record GateStatus(
    String name,
    String before,
    String description,
    GateState state,
    Instant openedAt,
    Instant approvedAt,
    String comment,
    String by,
    Integer required,
    List<GateApprover> approvals,
    List<String> stillNeeded) {

  public GateStatus(
      String name,
      String before,
      String description,
      GateState state,
      Instant openedAt,
      Instant approvedAt,
      String comment,
      String by) {
    this(name, before, description, state, openedAt, approvedAt, comment, by, null, null, null);
  }

  public static GateStatus pending(String name, String before, String description) {
    return new GateStatus(name, before, description, GateState.PENDING, null, null, null, null);
  }

  public GateStatus opened(Instant at) {
    return new GateStatus(
        name,
        before,
        description,
        GateState.OPEN,
        at,
        null,
        null,
        null,
        required,
        approvals,
        stillNeeded);
  }

  public GateStatus approved(Instant at, String newComment, String approver) {
    return new GateStatus(
        name,
        before,
        description,
        GateState.APPROVED,
        openedAt,
        at,
        newComment,
        approver,
        required,
        approvals,
        stillNeeded);
  }

  public GateStatus expired() {
    return new GateStatus(
        name,
        before,
        description,
        GateState.EXPIRED,
        openedAt,
        null,
        null,
        null,
        required,
        approvals,
        stillNeeded);
  }

  /** The same gate under a policy: {@code required} approvals, these so far, these still able. */
  public GateStatus counting(int needs, List<GateApprover> counted, List<String> still) {
    return new GateStatus(
        name,
        before,
        description,
        state,
        openedAt,
        approvedAt,
        comment,
        by,
        needs,
        List.copyOf(counted),
        List.copyOf(still));
  }

  /** The same gate with another description (status cuts long ones). */
  public GateStatus withDescription(String newDescription) {
    return new GateStatus(
        name,
        before,
        newDescription,
        state,
        openedAt,
        approvedAt,
        comment,
        by,
        required,
        approvals,
        stillNeeded);
  }
}
