package dev.cutover.approval;

import java.time.Instant;

/** What {@code cutover start} signs: who started which workflow with which plan. */
public record StartClaim(
    String workflowId, String planSha256, String by, String nonce, Instant signedAt) {

  /**
   * The exact text signed (as UTF-8): fixed field order, one "name: value" per line, values
   * JSON-escaped; as {@link ApprovalClaim#signedText()}, with its own first line.
   */
  public String signedText() {
    return new ClaimText()
        .field("claim", "cutover start v1")
        .field("workflowId", workflowId)
        .field("planSha256", planSha256)
        .field("by", by)
        .field("nonce", nonce)
        .field("signedAt", signedAt)
        .toString();
  }
}
