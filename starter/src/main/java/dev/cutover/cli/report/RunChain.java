package dev.cutover.cli.report;

import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Puts the runs of one continue-as-new chain in order, first run first. */
final class RunChain {
  private RunChain() {}

  static List<History> order(List<History> runs) {
    if (runs.size() < 2) {
      return runs;
    }
    Map<String, History> byRunId = new LinkedHashMap<>();
    runs.forEach(h -> byRunId.put(runId(h), h));
    Map<String, History> byPrevious = new LinkedHashMap<>();
    runs.forEach(
        h -> {
          String previous = started(h).getContinuedExecutionRunId();
          if (!previous.isEmpty()) {
            byPrevious.put(previous, h);
          }
        });
    History first =
        runs.stream()
            .filter(h -> !byRunId.containsKey(started(h).getContinuedExecutionRunId()))
            .min(Comparator.comparing(h -> h.getEvents(0).getEventTime().getSeconds()))
            .orElse(runs.get(0));
    List<History> ordered = new ArrayList<>();
    for (History h = first; h != null && !ordered.contains(h); h = byPrevious.get(runId(h))) {
      ordered.add(h);
    }
    // Runs that do not link up (files of different chains) follow by start time.
    runs.stream()
        .filter(h -> !ordered.contains(h))
        .sorted(Comparator.comparing(h -> h.getEvents(0).getEventTime().getSeconds()))
        .forEach(ordered::add);
    return ordered;
  }

  static WorkflowExecutionStartedEventAttributes started(History h) {
    return h.getEvents(0).getWorkflowExecutionStartedEventAttributes();
  }

  /**
   * A run's own id: the start event names it only as the original run id (the same unless the run
   * was reset).
   */
  static String runId(History h) {
    return started(h).getOriginalExecutionRunId();
  }
}
