package dev.cutover.cli;

import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Runs an update and turns the workflow's refusal into exit code 3 with the workflow's reason. */
final class WorkflowUpdates {
  private WorkflowUpdates() {}

  /**
   * A worker accepts or refuses an update in well under a second; the SDK waits for the answer
   * without end, so approve on a run whose workflow tasks fail hung until the run timed out.
   */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  static <T> T send(String id, String what, Supplier<T> update) {
    try {
      return TemporalConnection.answerWithin(PATIENCE, update);
    } catch (TimeoutException e) {
      throw new CliFailure(
          ExitCode.FAILED,
          what
              + ": no answer from "
              + id
              + " within "
              + PATIENCE.toSeconds()
              + "s (is a cutover"
              + " worker running? are the run's workflow tasks failing? see the Temporal UI); it may still be applied when the run"
              + " moves again: check with cutover status "
              + id);
    } catch (WorkflowUpdateException e) {
      Throwable cause = e.getCause();
      String reason =
          cause instanceof ApplicationFailure app
              ? app.getOriginalMessage()
              : TemporalConnection.rootMessage(e);
      throw new CliFailure(ExitCode.REJECTED, what + " rejected by " + id + ": " + reason);
    } catch (WorkflowNotFoundException e) {
      throw new CliFailure(ExitCode.FAILED, "no running migration with id " + id);
    } catch (io.temporal.client.WorkflowServiceException e) {
      String message = TemporalConnection.rootMessage(e);
      if (message.contains("NOT_FOUND")
          || message.contains("workflow execution already completed")) {
        throw new CliFailure(
            ExitCode.REJECTED, what + " rejected: " + id + " is not running (" + message + ")");
      }
      throw new CliFailure(ExitCode.FAILED, what + " failed for " + id + ": " + message);
    }
  }
}
