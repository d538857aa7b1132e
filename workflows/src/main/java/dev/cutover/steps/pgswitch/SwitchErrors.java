package dev.cutover.steps.pgswitch;

/** Failure types of the {@code pg-switch} step; all are non-retryable: a person decides. */
public final class SwitchErrors {
  /**
   * The target did not catch up within the deadline and the plan says abort: the source was
   * unfrozen and serves again, the hold points at it.
   */
  public static final String DEADLINE_PASSED = "SwitchDeadlinePassed";

  /** After the release, the two sides differed at the switch instant. */
  public static final String VERIFY_MISMATCH = "SwitchVerifyMismatch";

  /** The way back cannot run in this build. */
  public static final String BACK_UNAVAILABLE = "SwitchBackUnavailable";

  private SwitchErrors() {}
}
