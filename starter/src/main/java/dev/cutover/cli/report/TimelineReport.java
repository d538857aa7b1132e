package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.workflow.CutoverNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The decoded {@link Timeline} as the {@link MigrationReport} the formats render. */
final class TimelineReport {
  private TimelineReport() {}

  static MigrationReport of(String workflowId, Timeline t) {
    if (t.outcome.equals("continued as new")) {
      t.notes.add("the last run read continued as new; the runs after it were not read");
    }
    if (t.migration == null) {
      t.notes.add(
          "the start event holds no plan this report can read: the migration's name, steps and gates are unknown");
    }
    // An export does not name its workflow: the plan's name gives the id cutover starts it with.
    String id =
        workflowId.isEmpty() && t.migration != null
            ? CutoverNames.workflowId(t.migration)
            : workflowId;
    return new MigrationReport(
        id,
        t.migration,
        t.description,
        t.outcome,
        t.outcomeDetail,
        t.startedAt,
        t.endedAt,
        t.startedBy,
        List.copyOf(t.runs),
        phases(t),
        steps(t),
        t.waits.stream()
            .map(w -> new WaitReport(w.what, w.phase, w.startedAt, w.endedAt, w.outcome))
            .toList(),
        gates(t),
        List.copyOf(t.actions),
        t.notifications.stream().map(n -> n.report(t.ended)).toList(),
        downtime(t),
        t.rounds.values().stream().map(RoundTimeline::report).toList(),
        monitorChecks(t),
        List.copyOf(t.childReports),
        List.copyOf(t.notes));
  }

  private static List<StepReport> steps(Timeline t) {
    Map<String, String> finalStates = new HashMap<>();
    if (t.result != null) {
      for (JsonNode s : t.result.path("steps")) {
        finalStates.put(
            s.path("name").asText(),
            s.path("state").asText().toLowerCase(Locale.ROOT).replace('_', ' '));
      }
    }
    List<StepReport> reports = new ArrayList<>();
    for (StepTimeline s : t.steps.values()) {
      List<StepExecution> executions = s.executions.stream().map(Execution::toExecution).toList();
      String state = finalStates.getOrDefault(s.plan.name(), derivedState(t, s));
      reports.add(
          new StepReport(
              s.plan.phase(),
              s.plan.name(),
              s.plan.kind(),
              s.plan.place(),
              s.plan.description(),
              state,
              executions,
              s.plan.group(),
              s.plan.branch()));
    }
    return reports;
  }

  /** A step's state when the result does not say (a run still going, or ended without one). */
  private static String derivedState(Timeline t, StepTimeline s) {
    if (s.skipped) {
      return "skipped";
    }
    Execution last = null;
    Execution lastUndo = null;
    for (Execution x : s.executions) {
      if (x.undo) {
        lastUndo = x;
      } else {
        last = x;
      }
    }
    if (lastUndo != null && lastUndo.outcome.equals("succeeded")) {
      return "undone";
    }
    if (lastUndo != null
        && !lastUndo.outcome.equals("running")
        && !lastUndo.outcome.equals("scheduled")) {
      return "undo failed";
    }
    if (last == null) {
      return "pending";
    }
    return switch (last.outcome) {
      case "succeeded" -> "succeeded";
      case "scheduled", "running" -> t.ended ? "failed" : "running";
      default ->
          !t.ended && t.waitingFor.equals("decision:" + s.plan.name()) ? "blocked" : "failed";
    };
  }

  private static List<GateReport> gates(Timeline t) {
    List<GateReport> reports = new ArrayList<>();
    for (GateTimeline g : t.gates.values()) {
      String state =
          g.approvedAt != null
              ? "approved"
              : g.openedAt == null
                  ? "pending"
                  : !t.ended && t.waitingFor.equals("gate:" + g.name)
                      ? "open"
                      : "closed without approval";
      Duration waited =
          g.openedAt != null && g.approvedAt != null
              ? Duration.between(g.openedAt, g.approvedAt)
              : null;
      reports.add(
          new GateReport(
              g.name,
              g.before,
              g.description,
              state,
              g.openedAt,
              g.approvedAt,
              waited,
              g.by,
              g.identity,
              g.comment,
              g.via,
              g.required,
              g.required == null ? null : List.copyOf(g.approvals),
              g.required == null || g.approvedAt != null || g.stillNeeded == null
                  ? null
                  : List.copyOf(g.stillNeeded)));
    }
    return reports;
  }

  private static List<PhaseSpan> phases(Timeline t) {
    List<PhaseSpan> spans = new ArrayList<>();
    for (PhaseTimeline p : t.phases) {
      Instant start = p.startedAt;
      // Preflight runs before the workflow names its first phase: the phase starts with it.
      for (StepTimeline s : t.steps.values()) {
        for (Execution x : s.executions) {
          if (p.name.equals(s.plan.phase())
              && !x.undo
              && x.scheduledAt != null
              && x.scheduledAt.isBefore(start)
              && t.phases.indexOf(p) == 0) {
            start = x.scheduledAt;
          }
        }
      }
      spans.add(new PhaseSpan(p.name, start, p.endedAt));
    }
    return spans;
  }

  private static int monitorChecks(Timeline t) {
    return Math.max(
        t.checkpointMonitorChecks,
        (int)
            t.steps.values().stream()
                .filter(s -> "monitor".equals(s.plan.phase()))
                .flatMap(s -> s.executions.stream())
                .filter(x -> !x.undo)
                .mapToInt(x -> x.round)
                .max()
                .orElse(0));
  }

  private static DowntimeReport downtime(Timeline t) {
    if (t.downtimeStart == null) {
      return null;
    }
    Duration measured = null;
    Instant end = t.downtimeSpanLeft;
    if (t.result != null && t.result.path("downtime").isNumber()) {
      measured = PlanOutline.duration(t.result.path("downtime"));
      end = t.downtimeStart.plus(measured);
    } else if (end != null) {
      measured = Duration.between(t.downtimeStart, end);
    }
    // A downtime still going has lasted at least until the history's last event.
    boolean exceeded =
        t.budgetFired
            || (t.budget != null
                && (measured != null
                    ? measured.compareTo(t.budget) > 0
                    : t.lastEventAt != null
                        && Duration.between(t.downtimeStart, t.lastEventAt).compareTo(t.budget)
                            >= 0));
    return new DowntimeReport(t.downtimeStart, end, measured, t.budget, exceeded);
  }
}
