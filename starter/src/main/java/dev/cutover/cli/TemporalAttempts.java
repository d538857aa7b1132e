package dev.cutover.cli;

import dev.cutover.cli.report.MigrationReport;
import dev.cutover.cli.report.ReportBuilder;
import dev.cutover.cli.report.StepExecution;
import dev.cutover.cli.report.StepReport;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.StepStatus;
import io.temporal.api.history.v1.History;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TRY as Temporal counts it. The workflow knows its own tries (operator retries) and the attempts a
 * failure reports once all were spent, but not an attempt Temporal retried on its own that then
 * succeeded (a retryable failure, a worker that died): the status would say 1. The run's history
 * knows each activity's attempt, and the server's description knows the attempt of one still
 * pending. The history is decoded by {@link ReportBuilder}, as {@code cutover report} does.
 *
 * <p>Only the current run's history is read: continue-as-new happens only between presync rounds
 * and monitor checks, so every try of the round a step shows is in one run; a step whose last round
 * ran in an earlier run (the phases before a continued loop) keeps the workflow's number. For
 * {@code --watch}, the history is fetched again only when the server says it has grown.
 */
final class TemporalAttempts {
  private String runId;
  private long historyLength = -1;
  private History history;
  private Map<String, Integer> pendingSeen;
  private Map<String, Integer> counts = Map.of();

  /**
   * The history of the run described; fetched again only when the run changed or its history grew.
   * {@code null} when it cannot be read (the status then keeps the workflow's numbers).
   */
  History history(
      TemporalConnection temporal, String id, DescribeWorkflowExecutionResponse described) {
    var info = described.getWorkflowExecutionInfo();
    String run = info.getExecution().getRunId();
    // A server that does not say how long the history is (0) gets asked for it every time.
    if (history != null
        && run.equals(runId)
        && info.getHistoryLength() > 0
        && info.getHistoryLength() == historyLength) {
      return history;
    }
    try {
      History fetched = temporal.client.fetchHistory(id, run).getHistory();
      runId = run;
      historyLength = info.getHistoryLength();
      history = fetched;
      pendingSeen = null;
    } catch (RuntimeException unreadable) {
      // the status itself is what matters; without the history it shows the workflow's count
    }
    return history;
  }

  /** The status with each step's TRY as Temporal counted it, where the history tells. */
  MigrationStatus overlay(
      String id, MigrationStatus status, History run, DescribeWorkflowExecutionResponse described) {
    if (status == null || run == null) {
      return status;
    }
    Map<String, Integer> pending = pendingAttempts(described);
    if (!pending.equals(pendingSeen)) {
      try {
        counts = counts(ReportBuilder.build(id, List.of(run), null, pending));
      } catch (RuntimeException unreadable) {
        counts = Map.of();
      }
      pendingSeen = pending;
    }
    return overlay(status, counts);
  }

  static MigrationStatus overlay(MigrationStatus s, Map<String, Integer> counts) {
    if (counts.isEmpty()) {
      return s;
    }
    List<StepStatus> steps =
        s.steps().stream()
            .map(
                step -> {
                  Integer temporal = counts.get(step.name());
                  return temporal == null || temporal == step.attempts()
                      ? step
                      : withAttempts(step, temporal);
                })
            .toList();
    return new MigrationStatus(
        s.migration(),
        s.state(),
        s.phase(),
        s.currentStep(),
        s.waitingFor(),
        s.nextAction(),
        s.waitingUntil(),
        steps,
        s.gates(),
        s.downtime(),
        s.presyncRounds(),
        s.monitorChecks(),
        s.continuedRuns(),
        s.decisions(),
        s.notes(),
        s.abortReason(),
        s.pointOfNoReturnPassed(),
        s.dns(),
        s.startedBy());
  }

  /**
   * Step by step, Temporal's attempts summed over the tries of its last round in the history (the
   * round the status shows); undos are not the step's tries. An ended activity ran at least once;
   * one not yet started counts what the server says it is at, or nothing.
   */
  static Map<String, Integer> counts(MigrationReport report) {
    Map<String, Integer> counts = new HashMap<>();
    for (StepReport step : report.steps()) {
      List<StepExecution> tries = step.executions().stream().filter(x -> !x.undo()).toList();
      if (tries.isEmpty()) {
        continue;
      }
      int lastRound = tries.get(tries.size() - 1).round();
      int sum = 0;
      for (StepExecution x : tries) {
        if (x.round() == lastRound) {
          sum += x.endedAt() != null ? Math.max(1, x.attempts()) : x.attempts();
        }
      }
      if (sum > 0) {
        counts.put(step.name(), sum);
      }
    }
    return counts;
  }

  /** Attempt by activity id of the run's activities still pending. */
  static Map<String, Integer> pendingAttempts(DescribeWorkflowExecutionResponse described) {
    Map<String, Integer> attempts = new HashMap<>();
    for (PendingActivityInfo activity : described.getPendingActivitiesList()) {
      attempts.put(activity.getActivityId(), activity.getAttempt());
    }
    return attempts;
  }

  private static StepStatus withAttempts(StepStatus s, int attempts) {
    return new StepStatus(
        s.phase(),
        s.name(),
        s.kind(),
        s.host(),
        s.description(),
        s.state(),
        attempts,
        s.round(),
        s.startedAt(),
        s.endedAt(),
        s.exitCode(),
        s.outputTail(),
        s.error(),
        s.errorType(),
        s.group(),
        s.branch());
  }
}
