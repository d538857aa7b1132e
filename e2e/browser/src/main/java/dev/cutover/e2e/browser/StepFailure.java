package dev.cutover.e2e.browser;

/** A UI step that could not be done: which step, and what the page did not show. */
final class StepFailure extends RuntimeException {
  private final String step;

  StepFailure(String step, String missing, Throwable cause) {
    super(missing, cause);
    this.step = step;
  }

  String step() {
    return step;
  }
}
