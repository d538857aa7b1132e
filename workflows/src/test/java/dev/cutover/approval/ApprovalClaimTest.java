package dev.cutover.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The signed text is a wire format: the CLI of one version signs what the worker of another
 * verifies, so it is pinned here byte for byte.
 */
class ApprovalClaimTest {
  private static final Instant AT = Instant.parse("2026-12-07T01:00:00Z");

  @Test
  void anApprovalSignsItsFieldsInAFixedOrderOnePerLine() {
    ApprovalClaim claim =
        new ApprovalClaim(
            "cutover-shop",
            "run-1",
            "go-downtime",
            "presync \"green\"\nsupport warned",
            "alice@example.com",
            "nonce-1",
            AT);

    assertThat(claim.signedText())
        .isEqualTo(
            """
            claim: "cutover approval v1"
            workflowId: "cutover-shop"
            runId: "run-1"
            gate: "go-downtime"
            comment: "presync \\"green\\"\\nsupport warned"
            by: "alice@example.com"
            nonce: "nonce-1"
            signedAt: "2026-12-07T01:00:00Z"
            """);
  }

  @Test
  void aCommentCannotAddALineOfItsOwn() {
    // given a comment that tries to read as a second gate line
    ApprovalClaim claim =
        new ApprovalClaim("w", "r", "g", "ok\ngate: \"other\"\r\u2028\u0000", "a", "n", AT);

    // then it stays on the comment's line, escaped
    String text = claim.signedText();
    assertThat(text.lines()).hasSize(8);
    assertThat(text.lines().filter(l -> l.startsWith("gate: "))).containsExactly("gate: \"g\"");
    assertThat(text).contains("comment: \"ok\\ngate: \\\"other\\\"\\r\\u2028\\u0000\"\n");
  }

  @Test
  void anAbsentValueIsNullNotAnEmptyString() {
    ApprovalClaim claim = new ApprovalClaim("w", "r", "g", null, "a", "n", AT);

    assertThat(claim.signedText()).contains("comment: null\n");
    assertThat(new ApprovalClaim("w", "r", "g", "", "a", "n", AT).signedText())
        .contains("comment: \"\"\n");
  }

  @Test
  void aStartSignsItsOwnKindOfText() {
    StartClaim claim =
        new StartClaim("cutover-shop", "0f".repeat(32), "alice@example.com", "nonce-2", AT);

    assertThat(claim.signedText())
        .isEqualTo(
            """
            claim: "cutover start v1"
            workflowId: "cutover-shop"
            planSha256: "%s"
            by: "alice@example.com"
            nonce: "nonce-2"
            signedAt: "2026-12-07T01:00:00Z"
            """
                .formatted("0f".repeat(32)));
  }

  @Test
  void theSigningTimeKeepsItsFractionOfASecond() {
    Instant precise = Instant.parse("2026-12-07T01:00:00.123456789Z");

    assertThat(new ApprovalClaim("w", "r", "g", null, "a", "n", precise).signedText())
        .contains("signedAt: \"2026-12-07T01:00:00.123456789Z\"\n");
  }
}
