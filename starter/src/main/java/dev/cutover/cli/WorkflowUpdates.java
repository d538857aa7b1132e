package dev.cutover.cli;

import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/** Runs an update and turns the workflow's refusal into exit code 3 with the workflow's reason. */
final class WorkflowUpdates {
  private WorkflowUpdates() {}

  static <T> T send(String id, String what, Supplier<T> update) {
    try {
      return update.get();
    } catch (WorkflowUpdateException e) {
      Throwable cause = e.getCause();
      String reason = cause instanceof ApplicationFailure app ? app.getOriginalMessage() : TemporalConnection.rootMessage(e);
      throw new CliFailure(ExitCode.REJECTED, what + " rejected by " + id + ": " + reason);
    } catch (WorkflowNotFoundException e) {
      throw new CliFailure(ExitCode.FAILED, "no running migration with id " + id);
    } catch (io.temporal.client.WorkflowServiceException e) {
      String message = TemporalConnection.rootMessage(e);
      if (message.contains("NOT_FOUND") || message.contains("workflow execution already completed")) {
        throw new CliFailure(ExitCode.REJECTED, what + " rejected: " + id + " is not running (" + message + ")");
      }
      throw new CliFailure(ExitCode.FAILED, what + " failed for " + id + ": " + message);
    }
  }
}
