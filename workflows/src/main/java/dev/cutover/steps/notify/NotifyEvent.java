package dev.cutover.steps.notify;

/** What a notification is about. */
public enum NotifyEvent {
  /** A {@code notify} step in the plan. */
  STEP,
  /** A gate opened and waits for approval. */
  GATE_OPENED,
  /** A gate is still waiting. */
  GATE_REMINDER,
  /** A step spent its retries and waits for a decision. */
  STEP_BLOCKED,
  /** The downtime window started. */
  DOWNTIME_STARTED,
  /** The downtime window ended. */
  DOWNTIME_ENDED,
  /** The migration finished. */
  MIGRATION_DONE,
  /** The migration was aborted. */
  MIGRATION_ABORTED
}
