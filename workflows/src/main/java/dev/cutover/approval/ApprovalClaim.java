package dev.cutover.approval;

import java.time.Instant;

/** What an approver signs: one approval of one gate of one run. */
public record ApprovalClaim(
    String workflowId,
    String runId,
    String gate,
    String comment,
    String by,
    String nonce,
    Instant signedAt) {

  /**
   * The exact text signed (as UTF-8): fixed field order, one "name: value" per line, values
   * JSON-escaped.
   */
  public String signedText() {
    throw new UnsupportedOperationException("not yet");
  }
}
