package dev.cutover.workflow;

public enum StepState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  /** Failed with onFailure: continue, or the attempt cut short by an abort. */
  FAILED,
  BLOCKED,
  SKIPPED,
  UNDONE,
  UNDO_FAILED
}
