package dev.cutover.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Approval of a gate: the one JSON argument of signal {@code approve} and update {@code
 * approveGate}. A signed approval (what {@code cutover approve --sign-with} sends) also carries the
 * run it was signed for, a nonce, the time and the {@code ssh-keygen -Y sign} signature over the
 * claim ({@link dev.cutover.approval.ApprovalClaim}); an unsigned one keeps the old shape, so the
 * Temporal UI can still send {@code {"gate": "...", "comment": "...", "by": "..."}}.
 *
 * @param runId the run the approval was signed for (signed approvals only)
 * @param nonce a random value, so a captured approval cannot be sent twice
 * @param signedAt when it was signed, ISO-8601 ({@link java.time.Instant#toString()})
 * @param signature the armored SSH signature ("-----BEGIN SSH SIGNATURE-----")
 * @param malformed why the JSON sent was not an approval (never sent, only set when reading one)
 */
public record ApproveRequest(
    String gate,
    String comment,
    String by,
    String runId,
    String nonce,
    String signedAt,
    String signature,
    @JsonIgnore String malformed) {
  private static final LinkedHashSet<String> FIELDS =
      new LinkedHashSet<>(
          List.of("gate", "comment", "by", "runId", "nonce", "signedAt", "signature"));

  public ApproveRequest(String gate, String comment, String by) {
    this(gate, comment, by, null, null, null, null, null);
  }

  public ApproveRequest(
      String gate,
      String comment,
      String by,
      String runId,
      String nonce,
      String signedAt,
      String signature) {
    this(gate, comment, by, runId, nonce, signedAt, signature, null);
  }

  /** Whether it carries a signature at all (judged only where the gate's policy asks for one). */
  @JsonIgnore
  public boolean signed() {
    return signature != null && !signature.isBlank();
  }

  /** Any JSON reaches the handler: one of the wrong shape carries what is wrong with it. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ApproveRequest fromJson(JsonNode node) {
    return new ApproveRequest(
        SignalJson.text(node, "gate"),
        SignalJson.text(node, "comment"),
        SignalJson.text(node, "by"),
        SignalJson.text(node, "runId"),
        SignalJson.text(node, "nonce"),
        SignalJson.text(node, "signedAt"),
        SignalJson.text(node, "signature"),
        SignalJson.problem(node, FIELDS));
  }
}
