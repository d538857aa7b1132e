package dev.cutover.steps.notify;

/**
 * The failure type of a notification that may get through on a later attempt (a receiver answering
 * 5xx, a refused or timed-out connection). The non-retryable ones use {@link
 * dev.cutover.steps.CutoverErrors}' types.
 */
public final class NotifyErrors {
  /** At least one channel failed for a reason that may pass: retried. */
  public static final String UNDELIVERED = "NotificationUndelivered";

  private NotifyErrors() {}
}
