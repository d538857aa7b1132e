package dev.cutover.approval;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The gate's judge of one signed approval: pure, so it runs inside workflow code (in a signal or
 * update handler) and gives the same verdict on replay. Self-approval and counting N of M are the
 * workflow's: the judge says only whether this one signature is a valid approval of this gate now.
 */
public final class ApprovalJudge {
  /** A claim signed longer ago than this is expired: a captured approval cannot wait for use. */
  public static final Duration MAX_AGE = Duration.ofMinutes(15);

  /** A claim signed this far in the future is refused: clocks differ, but not by more. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(2);

  /**
   * The longest nonce accepted: a UUID is 36 characters; the bound keeps the set of nonces a gate
   * remembers small.
   */
  public static final int MAX_NONCE = 128;

  /** The reason's first words for each refusal the judge adds to {@link SshSignatures}'. */
  public static final String NOT_SIGNED = "not signed";

  public static final String ELSEWHERE = "signed for another gate or run";
  public static final String REPLAYED = "replayed";
  public static final String EXPIRED = "expired";
  public static final String FUTURE = "signed in the future";
  public static final String NOT_THE_SIGNER = "signed by another approver";
  public static final String KEY_NOT_VALID = "key not valid now";
  public static final String BAD_NONCE = "bad nonce";

  private ApprovalJudge() {}

  /**
   * Judges one approval of {@code gate} of run {@code runId} of {@code workflowId}.
   *
   * @param gateSigners the approvers whose signatures this gate counts
   * @param noncesSeen the nonces of the approvals this gate has accepted; the judge does not add to
   *     it (the caller does, when it counts the approval)
   * @param now the workflow's time
   */
  public static ApprovalVerdict judge(
      ApprovalClaim claim,
      String armoredSignature,
      List<AllowedSigner> gateSigners,
      String workflowId,
      String runId,
      String gate,
      Set<String> noncesSeen,
      Instant now) {
    if (claim == null || armoredSignature == null || armoredSignature.isBlank()) {
      return refused(
          null,
          NOT_SIGNED
              + ": this gate counts only approvals signed with an approver's SSH key (cutover approve ID GATE --sign-with ~/.ssh/id_ed25519)");
    }
    SignatureCheck check =
        SshSignatures.verify(
            armoredSignature,
            claim.signedText().getBytes(StandardCharsets.UTF_8),
            SshSignatures.APPROVAL_NAMESPACE,
            gateSigners);
    if (!check.valid()) {
      return refused(check.signer(), check.reason());
    }
    AllowedSigner signer = check.signer();
    if (claim.by() != null && !claim.by().equals(signer.principal())) {
      return refused(
          signer,
          NOT_THE_SIGNER
              + ": the approval names '"
              + bounded(claim.by())
              + "' but is signed with the key of "
              + signer.principal());
    }
    if (!workflowId.equals(claim.workflowId())
        || !runId.equals(claim.runId())
        || !gate.equals(claim.gate())) {
      return refused(
          signer,
          ELSEWHERE
              + ": signed for gate '"
              + bounded(claim.gate())
              + "' of run "
              + bounded(claim.runId())
              + " of "
              + bounded(claim.workflowId())
              + ", not gate '"
              + gate
              + "' of run "
              + runId
              + " of "
              + workflowId);
    }
    if (claim.signedAt() == null) {
      return refused(signer, EXPIRED + ": the approval has no signing time");
    }
    if (claim.signedAt().isBefore(now.minus(MAX_AGE))) {
      return refused(
          signer,
          EXPIRED
              + ": signed at "
              + claim.signedAt()
              + ", more than "
              + MAX_AGE.toMinutes()
              + " minutes before "
              + now
              + "; sign a new approval");
    }
    if (claim.signedAt().isAfter(now.plus(MAX_SKEW))) {
      return refused(
          signer,
          FUTURE
              + ": signed at "
              + claim.signedAt()
              + ", more than "
              + MAX_SKEW.toMinutes()
              + " minutes after "
              + now
              + "; check the signing machine's clock");
    }
    if (!signer.validAt(now)) {
      return refused(
          signer,
          KEY_NOT_VALID
              + ": the approvers line of "
              + signer.principal()
              + " makes its key valid"
              + (signer.validAfter() == null ? "" : " from " + signer.validAfter())
              + (signer.validBefore() == null ? "" : " until " + signer.validBefore()));
    }
    if (claim.nonce() == null || claim.nonce().isBlank() || claim.nonce().length() > MAX_NONCE) {
      return refused(
          signer, BAD_NONCE + ": an approval needs a nonce of 1 to " + MAX_NONCE + " characters");
    }
    if (noncesSeen.contains(claim.nonce())) {
      return refused(
          signer,
          REPLAYED
              + ": nonce "
              + claim.nonce()
              + " was already used on gate '"
              + gate
              + "'; each approval is signed anew");
    }
    return new ApprovalVerdict(true, signer.principal(), signer.fingerprint(), check.reason());
  }

  private static ApprovalVerdict refused(AllowedSigner signer, String reason) {
    return new ApprovalVerdict(
        false,
        signer == null ? null : signer.principal(),
        signer == null ? null : signer.fingerprint(),
        reason);
  }

  /** A value from the request, bounded for the reason a refusal records. */
  private static String bounded(String value) {
    if (value == null) {
      return "(none)";
    }
    return value.length() <= 80 ? value : value.substring(0, 80) + "...";
  }
}
