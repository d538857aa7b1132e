package dev.cutover.steps.notify;

/** Where a notification goes. */
public enum NotifyChannel {
  /** An HTTP POST of Slack-compatible JSON. */
  WEBHOOK,
  /** An e-mail over SMTP. */
  EMAIL
}
