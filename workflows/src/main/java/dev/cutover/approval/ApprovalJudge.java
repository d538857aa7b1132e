package dev.cutover.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The gate's judge of one signed approval: pure, so it runs inside workflow code. */
public final class ApprovalJudge {
  /** A claim signed longer ago than this is expired: a captured approval cannot wait for use. */
  public static final Duration MAX_AGE = Duration.ofMinutes(15);

  /** A claim signed this far in the future is refused: clocks differ, but not by more. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(2);

  private ApprovalJudge() {}

  /**
   * Judges one approval of {@code gate} of run {@code runId} of {@code workflowId}.
   *
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
    throw new UnsupportedOperationException("not yet");
  }
}
