package dev.cutover.cli.report;

import java.time.Instant;

/**
 * One activity (or wait) a step ran. A step tries again when an operator decides retry; each try
 * may take several Temporal attempts (its retry policy).
 *
 * @param undo whether this is the step's undo, run by an abort
 * @param round the presync round or monitor check (0 outside repeating phases)
 * @param attemptOfStep the step's try: 1, or more after operators decided retry
 * @param activity the activity type, or {@code timer} for a wait step
 * @param scheduledAt when the workflow asked for it
 * @param startedAt when its last attempt started
 * @param endedAt when it ended; {@code null} while it runs
 * @param attempts Temporal's attempts (retries of the retry policy included)
 * @param outcome succeeded, failed, timed out, canceled, running, scheduled
 * @param error the last attempt's error
 * @param errorType the error's type ({@code CommandFailed}, ...)
 * @param previousAttemptError the attempt before the last one's error, as Temporal keeps it
 * @param exitCode a command's exit code, when it reported one
 * @param outputTail the last lines the command printed (the activity masks secrets)
 * @param detail what it did, in a few words (what rsync changed)
 * @param earlierAttempts the errors of the attempts before the last one that the history holds,
 *     oldest first: the one Temporal keeps on the started event, and those the worker carried in
 *     each failure (up to 10); an attempt missing here left no error (its worker died, it timed
 *     out) or is older than what was carried
 */
public record StepExecution(
    boolean undo,
    int round,
    int attemptOfStep,
    String activity,
    Instant scheduledAt,
    Instant startedAt,
    Instant endedAt,
    int attempts,
    String outcome,
    String error,
    String errorType,
    String previousAttemptError,
    Integer exitCode,
    String outputTail,
    String detail,
    java.util.List<AttemptFailure> earlierAttempts) {
  public StepExecution {
    earlierAttempts =
        earlierAttempts == null ? java.util.List.of() : java.util.List.copyOf(earlierAttempts);
  }
}
