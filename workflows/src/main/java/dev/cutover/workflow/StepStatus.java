package dev.cutover.workflow;

import java.time.Instant;

/**
 * The latest attempt of one step. Steps that repeat (presync rounds, monitor checks) show their
 * last round.
 */
public record StepStatus(
    String phase,
    String name,
    String kind,
    String host,
    String description,
    StepState state,
    int attempts,
    int round,
    Instant startedAt,
    Instant endedAt,
    Integer exitCode,
    String outputTail,
    String error,
    String errorType) {

  public static StepStatus pending(
      String phase, String name, String kind, String host, String description) {
    return new StepStatus(
        phase,
        name,
        kind,
        host,
        description,
        StepState.PENDING,
        0,
        0,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public StepStatus withState(StepState newState) {
    return new StepStatus(
        phase,
        name,
        kind,
        host,
        description,
        newState,
        attempts,
        round,
        startedAt,
        endedAt,
        exitCode,
        outputTail,
        error,
        errorType);
  }

  public StepStatus started(Instant at, int newRound) {
    return new StepStatus(
        phase,
        name,
        kind,
        host,
        description,
        StepState.RUNNING,
        attempts,
        newRound,
        at,
        null,
        null,
        null,
        null,
        null);
  }

  public StepStatus ended(
      StepState newState,
      Instant at,
      int totalAttempts,
      Integer code,
      String tail,
      String err,
      String errType) {
    return new StepStatus(
        phase,
        name,
        kind,
        host,
        description,
        newState,
        totalAttempts,
        round,
        startedAt,
        at,
        code,
        tail,
        err,
        errType);
  }
}
