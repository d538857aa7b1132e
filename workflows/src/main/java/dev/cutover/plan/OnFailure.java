package dev.cutover.plan;

/** What the workflow does when a step's retries are spent. */
public enum OnFailure {
  @Doc("Wait for an operator to decide retry, skip or abort.")
  ASK,
  @Doc("Abort the migration (undo before the point of no return).")
  ABORT,
  @Doc("Record the failure and go on with the next step.")
  CONTINUE
}
