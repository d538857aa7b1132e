package dev.cutover.workflow;

import java.time.Instant;
import java.util.List;

/**
 * What {@code approveGate} returns to the approver. For a gate under an approval policy, also whose
 * approval was counted and how far the gate is from opening.
 *
 * @param approvedAt when the approval was counted
 * @param principal who was counted (the plan's principal when verified, else the claimed
 *     identity); {@code null} for a gate without a policy
 * @param fingerprint the signing key's fingerprint; {@code null} when unsigned
 * @param verified whether a signature proved who approved ({@code null}: no policy)
 * @param approvals approvals counted so far, this one included ({@code null}: no policy)
 * @param required approvals the gate needs ({@code null}: no policy, one of any kind)
 * @param stillNeeded approvers whose approval would still count, while the gate stays open
 * @param passed whether the gate is approved now and the run goes on
 */
public record GateApproval(
    String gate,
    Instant approvedAt,
    String comment,
    String by,
    String principal,
    String fingerprint,
    Boolean verified,
    Integer approvals,
    Integer required,
    List<String> stillNeeded,
    Boolean passed) {

  public GateApproval(String gate, Instant approvedAt, String comment, String by) {
    this(gate, approvedAt, comment, by, null, null, null, null, null, null, null);
  }

  /** Whether the gate is approved now ({@code passed} is absent in answers before policies). */
  public boolean gatePassed() {
    return passed == null || passed;
  }
}
