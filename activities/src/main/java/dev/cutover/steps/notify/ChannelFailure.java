package dev.cutover.steps.notify;

/**
 * Why one channel did not deliver. The message is already free of secrets (see {@link Redaction});
 * {@code type} is a {@link dev.cutover.steps.CutoverErrors} type for the non-retryable ones.
 */
final class ChannelFailure extends RuntimeException {
  private final String type;
  private final boolean retryable;

  private ChannelFailure(String message, String type, boolean retryable) {
    // No cause kept: a cause's message may carry the webhook URL or a server's echo of a
    // credential.
    super(message, null, false, false);
    this.type = type;
    this.retryable = retryable;
  }

  static ChannelFailure retryable(String message) {
    return new ChannelFailure(message, NotifyErrors.UNDELIVERED, true);
  }

  static ChannelFailure permanent(String message, String type) {
    return new ChannelFailure(message, type, false);
  }

  String type() {
    return type;
  }

  boolean retryable() {
    return retryable;
  }
}
