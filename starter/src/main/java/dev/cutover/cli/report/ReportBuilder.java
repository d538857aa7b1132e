package dev.cutover.cli.report;

import dev.cutover.workflow.MigrationWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a migration's history events into a {@link MigrationReport}: {@link RunDecoder} decodes
 * each run into a {@link Timeline}, which {@link TimelineReport} turns into the report. The decoder
 * reads what the workflow wrote on purpose: the plan in the input, the facts it records (which step
 * each activity belongs to, in its header; how it judged each signal, in a marker), the phase and
 * waiting-for search attributes, updates with their results, and the result. Histories recorded
 * before the facts (v1 to v5) are read as before, from the wording of summaries and the rules of
 * those versions ({@link LegacyStepNames}, {@link LegacySignalJudge}). Where a history says less (a
 * run still going, a run terminated), the report says less.
 */
public final class ReportBuilder {
  /** Histories of a child workflow's runs, first run first; empty when they cannot be read. */
  public interface ChildHistories {
    List<History> fetch(String workflowId, String runId);
  }

  /** The report of the runs of one workflow id, first run first. */
  public static MigrationReport build(
      String workflowId, List<History> runs, ChildHistories children) {
    return build(workflowId, runs, children, Map.of());
  }

  /**
   * The report, with the attempt Temporal is at for the activities of the last run that are still
   * pending (running, or waiting out a retry's backoff): the history writes an attempt only once
   * the activity ends, so only the server's description of the run knows it.
   *
   * @param pendingAttempts attempt by activity id, from DescribeWorkflowExecution's pending
   *     activities
   */
  public static MigrationReport build(
      String workflowId,
      List<History> runs,
      ChildHistories children,
      Map<String, Integer> pendingAttempts) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no history to report on");
    }
    runs.forEach(ReportBuilder::requireMigration);
    ChildHistories readChildren = children == null ? (id, run) -> List.of() : children;
    Timeline timeline = new Timeline();
    RunDecoder last = null;
    for (History run : runs) {
      last = new RunDecoder(timeline, readChildren, run, true);
      last.read(run);
    }
    // The last run's activities still open are the ones the pending attempts belong to.
    for (Execution exec : last.activities.open()) {
      Integer attempt = exec.activityId == null ? null : pendingAttempts.get(exec.activityId);
      if (attempt != null && exec.endedAt == null && attempt > exec.attempts) {
        exec.attempts = attempt;
      }
    }
    return TimelineReport.of(workflowId, timeline);
  }

  /** The workflow type cutover starts, as its interface names it (not the Java class name). */
  static final String MIGRATION_TYPE =
      POJOWorkflowInterfaceMetadata.newInstance(MigrationWorkflow.class)
          .getWorkflowMethod()
          .orElseThrow()
          .getName();

  /**
   * A report of another workflow's history would be empty and read as a migration that did nothing
   * ("Migration report: null"); say what the history is instead.
   */
  static void requireMigration(History run) {
    HistoryEvent first = run.getEventsCount() == 0 ? null : run.getEvents(0);
    if (first == null || first.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
      throw new NotAMigrationException(
          "the history does not begin with the workflow's start event (its first event is "
              + (first == null
                  ? "missing"
                  : first
                      .getEventType()
                      .name()
                      .replace("EVENT_TYPE_", "")
                      .toLowerCase(Locale.ROOT)
                      .replace('_', ' '))
              + ")"
              + ": export the whole history, from its first event");
    }
    String type = first.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName();
    if (!type.equals(MIGRATION_TYPE)) {
      throw new NotAMigrationException(
          "the history is of a workflow of type '"
              + TerminalText.line(type)
              + "', not a cutover migration (type '"
              + MIGRATION_TYPE
              + "')");
    }
  }
}
