package dev.cutover.workflow;

/** Where a migration stands, as a person would say it. */
public enum MigrationState {
  RUNNING,
  /** On a durable timer: the old TTL, the window, the next presync round or monitor check. */
  WAITING,
  WAITING_FOR_GATE,
  /** A step's retries are spent; an operator must decide retry, skip or abort. */
  BLOCKED,
  ROLLING_BACK,
  COMPLETED,
  /** Aborted before the point of no return; finished steps were undone. */
  ABORTED,
  /** Aborted after the point of no return: stopped where it was, nothing undone. */
  HELD;

  public boolean isFinal() {
    return this == COMPLETED || this == ABORTED || this == HELD;
  }
}
