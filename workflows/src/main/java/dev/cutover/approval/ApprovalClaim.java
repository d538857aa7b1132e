package dev.cutover.approval;

import java.time.Instant;

/**
 * What an approver signs: one approval of one gate of one run. The workflow id, run id and gate in
 * the signed text are what stop a signature from being replayed elsewhere; the nonce stops it being
 * replayed on the same gate; signedAt bounds how long a captured one could wait.
 */
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
   * JSON-escaped. The first line says what is claimed, so an approval's text never reads as a
   * start's. signedAt is written as {@link Instant#toString()}: send it as that text, or any form
   * that keeps every digit.
   */
  public String signedText() {
    return new ClaimText()
        .field("claim", "cutover approval v1")
        .field("workflowId", workflowId)
        .field("runId", runId)
        .field("gate", gate)
        .field("comment", comment)
        .field("by", by)
        .field("nonce", nonce)
        .field("signedAt", signedAt)
        .toString();
  }
}
