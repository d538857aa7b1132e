package dev.cutover.approval;

import java.time.Instant;

/** What {@code cutover start} signs: who started which run of which plan. */
public record StartClaim(
    String workflowId, String planSha256, String by, String nonce, Instant signedAt) {

  /**
   * The exact text signed (as UTF-8): fixed field order, one "name: value" per line, values
   * JSON-escaped.
   */
  public String signedText() {
    throw new UnsupportedOperationException("not yet");
  }
}
