package dev.cutover.workflow;

import java.time.Instant;

/**
 * The latest attempt of one step. Steps that repeat (presync rounds, monitor checks) show their
 * last round.
 *
 * @param group the parallel group a nested step runs in; null for a step of the phase itself
 * @param branch the branch of {@code group} the step runs in; null for a step of the phase itself
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
    String errorType,
    String group,
    String branch) {

  public static StepStatus pending(
      String phase, String name, String kind, String host, String description) {
    return pending(phase, name, kind, host, description, null, null);
  }

  /** A step of a parallel group's branch, before it runs. */
  public static StepStatus pending(
      String phase,
      String name,
      String kind,
      String host,
      String description,
      String group,
      String branch) {
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
        null,
        group,
        branch);
  }

  /** Whether the step runs in a branch of a parallel group (a lane of its own). */
  public boolean inGroup() {
    return group != null;
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
        errorType,
        group,
        branch);
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
        null,
        group,
        branch);
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
        errType,
        group,
        branch);
  }
}
