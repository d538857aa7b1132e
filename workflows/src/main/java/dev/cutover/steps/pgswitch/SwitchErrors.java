package dev.cutover.steps.pgswitch;

/** Failure types of the {@code pg-switch} step. */
public final class SwitchErrors {
  /**
   * The target did not catch up within the deadline and the plan says abort: the source was
   * unfrozen and serves again, the hold points at it.
   */
  public static final String DEADLINE_PASSED = "SwitchDeadlinePassed";

  /** After the release, the two sides differed at the switch instant. */
  public static final String VERIFY_MISMATCH = "SwitchVerifyMismatch";

  /**
   * Retried: the target is too far behind to switch within a deadline, or still copying tables;
   * nothing was frozen.
   */
  public static final String REPLICATION_BEHIND = "SwitchReplicationBehind";

  /**
   * Retried: the commit point was passed but repointing or releasing failed; the retry finishes the
   * switch.
   */
  public static final String UNFINISHED = "SwitchUnfinished";

  /** The way back cannot run: the switch had no replication back (reverse: false). */
  public static final String BACK_UNAVAILABLE = "SwitchBackUnavailable";

  private SwitchErrors() {}
}
