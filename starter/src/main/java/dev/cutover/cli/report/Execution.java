package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.failure.v1.Failure;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/** One execution of a step: an activity (with Temporal's attempts) or a wait step's timer. */
final class Execution {
  final boolean undo;
  final int round;
  final String activity;
  final Instant scheduledAt;

  /** Temporal's id of the activity, unique within its run; {@code null} for a wait. */
  String activityId;

  int attemptOfStep;
  Instant startedAt;
  Instant endedAt;
  int attempts;
  String outcome = "scheduled";
  String error;
  String errorType;
  String previousAttemptError;
  Integer exitCode;
  String outputTail;
  String detail;
  JsonNode rsync;

  /** Errors of attempts before the last, by attempt. */
  final TreeMap<Integer, AttemptFailure> earlier = new TreeMap<>();

  Execution(boolean undo, int round, String activity, Instant scheduledAt) {
    this.undo = undo;
    this.round = round;
    this.activity = activity;
    this.scheduledAt = scheduledAt;
  }

  /**
   * The errors of earlier attempts a failure carries as its last detail (the worker adds them,
   * {@code earlierAttemptErrors}); those the history holds itself win.
   */
  void carried(Failure failure) {
    Failure root = Failures.root(failure);
    if (!root.hasApplicationFailureInfo()
        || root.getApplicationFailureInfo().getDetails().getPayloadsCount() == 0) {
      return;
    }
    var details = root.getApplicationFailureInfo().getDetails();
    JsonNode last = PayloadJson.of(details.getPayloads(details.getPayloadsCount() - 1));
    for (JsonNode e : last.path("earlierAttemptErrors")) {
      int attempt = e.path("attempt").asInt();
      if (attempt > 0 && (attempts == 0 || attempt < attempts)) {
        earlier.putIfAbsent(
            attempt,
            new AttemptFailure(
                attempt,
                e.path("error").asText(""),
                e.path("type").isTextual() ? e.path("type").asText() : null));
      }
    }
  }

  StepExecution toExecution() {
    String shown = outcome.equals("scheduled") && startedAt != null ? "running" : outcome;
    List<AttemptFailure> before =
        earlier.values().stream().filter(f -> f.attempt() < attempts).toList();
    return new StepExecution(
        undo,
        round,
        attemptOfStep,
        activity,
        scheduledAt,
        startedAt,
        endedAt,
        attempts,
        shown,
        error,
        errorType,
        previousAttemptError,
        exitCode,
        outputTail,
        detail,
        before);
  }
}
