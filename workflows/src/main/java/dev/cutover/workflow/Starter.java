package dev.cutover.workflow;

/**
 * Who started the run, as the workflow established it at the start: verified by the signature
 * {@code cutover start --sign-with} sends, or only the identity the starting client claimed.
 *
 * @param verified whether a key of the plan's approvers signed the start
 * @param principal the approver's principal when verified, else the claimed identity ({@code null}:
 *     none claimed)
 * @param fingerprint the signing key's fingerprint when verified
 * @param reason why a signed start was not verified; {@code null} otherwise
 */
public record Starter(boolean verified, String principal, String fingerprint, String reason) {

  /** As status and the report show it. */
  public String shown() {
    return GateApprover.shown(principal, fingerprint, verified);
  }
}
