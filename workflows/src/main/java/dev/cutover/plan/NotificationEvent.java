package dev.cutover.plan;

/** A workflow event that sends a notification when the plan's notifications list it. */
@Doc("An event that sends a notification.")
public enum NotificationEvent {
  @Doc("A gate opened and waits for approval; the message has the command that approves it.")
  GATE_OPENED,
  @Doc("A gate still waits, every remindEvery.")
  GATE_REMINDER,
  @Doc(
      "A step spent its retries and waits for a decision; the message has the error and the command to decide.")
  STEP_BLOCKED,
  @Doc("The downtime window started (the first step of the downtime span).")
  DOWNTIME_STARTED,
  @Doc("The downtime window ended, with how long it lasted.")
  DOWNTIME_ENDED,
  @Doc("The migration finished.")
  MIGRATION_DONE,
  @Doc("The migration was aborted: rolled back, or holding after the point of no return.")
  MIGRATION_ABORTED
}
