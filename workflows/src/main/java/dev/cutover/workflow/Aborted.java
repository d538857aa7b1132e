package dev.cutover.workflow;

/**
 * Unwinds the workflow's call stack to the rollback when an abort arrives. Internal only: always
 * caught in {@link MigrationWorkflowImpl#run}, never thrown out of workflow code.
 */
final class Aborted extends RuntimeException {
  Aborted() {
    super(null, null, false, false);
  }
}
