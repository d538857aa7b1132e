package dev.cutover.workflow;

import java.time.Instant;

/**
 * One approval a gate under an approval policy counted.
 *
 * @param principal the approver: the plan's principal when verified, else the identity the
 *     approval claimed ({@code null}: none)
 * @param fingerprint the signing key's fingerprint ({@code SHA256:...}); {@code null} when unsigned
 * @param verified whether a signature by a key of the plan's approvers proved who it is
 * @param at when the workflow counted it
 * @param comment the approver's comment
 * @param nonce the signed approval's nonce, kept so the same approval cannot count twice
 */
public record GateApprover(
    String principal,
    String fingerprint,
    boolean verified,
    Instant at,
    String comment,
    String nonce) {

  /** As status and the report show it: who, and how sure the workflow is of it. */
  public String shown() {
    return shown(principal, fingerprint, verified);
  }

  /** "alice@example.com (SHA256:...)", or "unverified (claimed identity bob)". */
  public static String shown(String principal, String fingerprint, boolean verified) {
    if (verified) {
      return principal + (fingerprint == null ? "" : " (" + fingerprint + ")");
    }
    return principal == null
        ? "unverified (no identity claimed)"
        : "unverified (claimed identity " + principal + ")";
  }
}
