package dev.cutover.cli.report;

import io.temporal.api.failure.v1.Failure;
import java.util.Locale;

/** Temporal failures as the report tells them. */
final class Failures {
  private Failures() {}

  /** The application failure inside, or the failure itself when there is none. */
  static Failure root(Failure failure) {
    Failure root = failure;
    while (!root.hasApplicationFailureInfo() && root.hasCause()) {
      root = root.getCause();
    }
    return root;
  }

  /** The application failure's type, or {@code Timeout} for a timeout; {@code null} for others. */
  static String type(Failure failure) {
    Failure root = root(failure);
    if (root.hasApplicationFailureInfo()) {
      return root.getApplicationFailureInfo().getType();
    }
    return failure.hasTimeoutFailureInfo() ? "Timeout" : null;
  }

  /** The failure as a person reads it: its message, with the cause's when it adds to it. */
  static String message(Failure failure) {
    StringBuilder text = new StringBuilder(failure.getMessage());
    if (failure.hasTimeoutFailureInfo()) {
      text.append(" (")
          .append(
              failure
                  .getTimeoutFailureInfo()
                  .getTimeoutType()
                  .name()
                  .replace("TIMEOUT_TYPE_", "")
                  .toLowerCase(Locale.ROOT)
                  .replace('_', '-'))
          .append(")");
    }
    if (failure.hasCause()
        && !failure.getCause().getMessage().isEmpty()
        && !failure.getMessage().contains(failure.getCause().getMessage())) {
      text.append(": ").append(message(failure.getCause()));
    }
    return text.toString();
  }
}
