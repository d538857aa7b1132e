package dev.cutover.cli.report;

import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** When things happened in one run's history: by the server's clock, or by the workflow's. */
final class EventTimes {
  private final Map<Long, HistoryEvent> byId = new HashMap<>();

  EventTimes(History history) {
    history.getEventsList().forEach(e -> byId.put(e.getEventId(), e));
  }

  static Instant time(HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }

  /**
   * The workflow's own clock when it issued a command: the start of the workflow task that issued
   * it, which is what {@code Workflow.currentTimeMillis()} returned to the code.
   */
  Instant workflowTime(HistoryEvent e) {
    long completedId =
        switch (e.getEventType()) {
          case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED ->
              e.getActivityTaskScheduledEventAttributes().getWorkflowTaskCompletedEventId();
          case EVENT_TYPE_TIMER_STARTED ->
              e.getTimerStartedEventAttributes().getWorkflowTaskCompletedEventId();
          case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES ->
              e.getUpsertWorkflowSearchAttributesEventAttributes()
                  .getWorkflowTaskCompletedEventId();
          default -> 0;
        };
    HistoryEvent completed = byId.get(completedId);
    if (completed == null || !completed.hasWorkflowTaskCompletedEventAttributes()) {
      return time(e);
    }
    HistoryEvent started =
        byId.get(completed.getWorkflowTaskCompletedEventAttributes().getStartedEventId());
    return started == null ? time(e) : time(started);
  }
}
