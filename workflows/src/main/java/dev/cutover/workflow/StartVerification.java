package dev.cutover.workflow;

import dev.cutover.approval.AllowedSigner;
import dev.cutover.approval.ApprovalJudge;
import dev.cutover.approval.SignatureCheck;
import dev.cutover.approval.SshSignatures;
import dev.cutover.approval.StartClaim;
import dev.cutover.plan.Plan;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Who started a run: the signed start {@code cutover start --sign-with} sends, checked against the
 * plan's approvers. Pure; the workflow runs it once, in a side effect, so a later worker whose plan
 * model serialises differently replays the recorded answer instead of judging again.
 */
public final class StartVerification {
  private StartVerification() {}

  /**
   * The SHA-256 (hex) of the plan as the data converter writes it: what a start claim signs, so a
   * signature for one plan cannot start another. The CLI and the workflow compute it alike.
   */
  public static String planSha256(Plan plan) {
    byte[] json =
        DefaultDataConverter.STANDARD_INSTANCE.toPayload(plan).orElseThrow().getData().toByteArray();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The starter: verified when the claim is for this run and plan, fresh, and signed by an approver. */
  static Starter verify(
      SignedStart start,
      Plan plan,
      String workflowId,
      List<AllowedSigner> approvers,
      Instant now) {
    String claimed = start == null ? null : SignalLimits.clip(start.by(), SignalLimits.MAX_BY_CHARS);
    if (start == null || start.signature() == null || start.signature().isBlank()) {
      return new Starter(false, claimed, null, null);
    }
    StartClaim claim = start.claim();
    String problem = problem(claim, start.signature(), plan, workflowId, now);
    if (problem != null) {
      return new Starter(false, claimed, null, problem);
    }
    SignatureCheck check =
        SshSignatures.verify(
            start.signature(),
            claim.signedText().getBytes(StandardCharsets.UTF_8),
            SshSignatures.START_NAMESPACE,
            approvers);
    if (!check.valid()) {
      return new Starter(false, claimed, null, check.reason());
    }
    return new Starter(true, check.signer().principal(), check.signer().fingerprint(), null);
  }

  private static String problem(
      StartClaim claim, String signature, Plan plan, String workflowId, Instant now) {
    if (claim == null) {
      return "a signature without the claim it signs";
    }
    if (signature.length() > SignalLimits.MAX_SIGNATURE_CHARS) {
      return SignalLimits.tooLong("signature", signature, SignalLimits.MAX_SIGNATURE_CHARS);
    }
    if (!workflowId.equals(claim.workflowId())) {
      return "signed for workflow "
          + SignalLimits.quote(claim.workflowId())
          + ", not "
          + SignalLimits.quote(workflowId);
    }
    if (!planSha256(plan).equals(claim.planSha256())) {
      return "signed for another plan (sha256 "
          + SignalLimits.quote(claim.planSha256())
          + ") than the one this run was given (are the CLI and the worker of different versions?)";
    }
    if (claim.signedAt() == null) {
      return "the claim has no time";
    }
    if (claim.signedAt().isBefore(now.minus(ApprovalJudge.MAX_AGE))) {
      return "expired: signed at " + claim.signedAt() + ", more than " + ApprovalJudge.MAX_AGE.toMinutes() + " minutes before the run started";
    }
    if (claim.signedAt().isAfter(now.plus(ApprovalJudge.MAX_SKEW))) {
      return "signed at " + claim.signedAt() + ", in the future of the run's start " + now;
    }
    return null;
  }
}
