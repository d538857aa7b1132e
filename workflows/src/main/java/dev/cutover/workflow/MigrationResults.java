package dev.cutover.workflow;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;

/**
 * Reads a migration's {@link MigrationResult} however the run ended: a completed run returns it, an
 * aborted or held one (since bounded state) fails with it as the failure's details.
 */
public final class MigrationResults {
  private MigrationResults() {}

  /**
   * The result; rethrows a failure that carries none (the run failed some other way, was
   * terminated...).
   */
  public static MigrationResult await(WorkflowStub run) {
    try {
      return run.getResult(MigrationResult.class);
    } catch (WorkflowFailedException failed) {
      MigrationResult result = of(failed);
      if (result == null) {
        throw failed;
      }
      return result;
    }
  }

  /**
   * The result an aborted or held run failed with, or {@code null} when the failure carries none.
   */
  public static MigrationResult of(WorkflowFailedException failed) {
    if (failed.getCause() instanceof ApplicationFailure app
        && isAbortedOrHeld(app.getType())
        && app.getDetails() != null
        && app.getDetails().getSize() > 0) {
      return app.getDetails().get(MigrationResult.class);
    }
    return null;
  }

  public static boolean isAbortedOrHeld(String failureType) {
    return MigrationWorkflowImpl.MIGRATION_ABORTED.equals(failureType)
        || MigrationWorkflowImpl.MIGRATION_HELD.equals(failureType);
  }
}
