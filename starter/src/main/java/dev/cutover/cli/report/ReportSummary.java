package dev.cutover.cli.report;

import static dev.cutover.cli.report.ReportText.duration;
import static dev.cutover.cli.report.ReportText.time;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/** The sentences every format shares, so text, Markdown and HTML say the same thing. */
final class ReportSummary {
  private ReportSummary() {}

  static String outcome(MigrationReport r) {
    return r.outcome() + (r.outcomeDetail() == null ? "" : " — " + r.outcomeDetail());
  }

  /** The migration's name, or what to show when the start event held no readable plan. */
  static String name(MigrationReport r) {
    return r.migration() == null ? "(no plan in the history)" : r.migration();
  }

  static String runs(MigrationReport r) {
    int n = r.runs().size();
    return n == 1 ? "1 (never continued as new)" : n + " (continued as new " + (n - 1) + " time" + (n == 2 ? "" : "s") + ")";
  }

  static String downtime(MigrationReport r) {
    var d = r.downtime();
    if (d == null) {
      return "none (no downtime step ran)";
    }
    String window = time(d.startedAt()) + " to " + (d.endedAt() == null ? "(still down)" : time(d.endedAt())) + " UTC";
    String measured = d.measured() == null ? "still counting" : duration(d.measured());
    String budget = d.budget() == null ? "" : " of budget " + duration(d.budget()) + (d.budgetExceeded() ? " — BUDGET EXCEEDED" : ", within budget");
    return measured + budget + " (" + window + ")";
  }

  /** A notification's outcome as a person reads it: delivered by which channels, or why not. */
  static String notification(NotificationReport n) {
    StringBuilder s = new StringBuilder(n.outcome());
    if (n.attempts() > 1) {
      s.append(" after ").append(n.attempts()).append(" attempts");
    }
    if (n.detail() != null) {
      s.append(n.detail().startsWith("by ") || n.detail().startsWith("not by ") ? " " : ": ").append(n.detail());
    }
    return s.toString();
  }

  static String execution(StepExecution x) {
    StringBuilder s = new StringBuilder();
    if (x.undo()) {
      s.append("undo");
    } else if (x.round() > 0) {
      s.append("round ").append(x.round()).append(x.attemptOfStep() > 1 ? ", try " + x.attemptOfStep() : "");
    } else {
      s.append("try ").append(x.attemptOfStep());
    }
    s.append(": ").append(x.activity().equals("timer") ? "wait" : x.activity()).append(' ').append(x.outcome());
    if (x.attempts() > 1) {
      s.append(" after ").append(x.attempts()).append(" attempts");
    }
    s.append(", ").append(time(x.scheduledAt()));
    if (x.endedAt() != null) {
      s.append(", took ").append(ReportText.between(x.scheduledAt(), x.endedAt()));
    }
    if (x.exitCode() != null && x.exitCode() != 0) {
      s.append(", exit code ").append(x.exitCode());
    }
    if (x.detail() != null) {
      s.append("; ").append(x.detail());
    }
    return s.toString();
  }

  /**
   * What the history keeps of a failed execution's attempts, one line each: the last attempt's
   * failure, the one before it when Temporal kept it on the started event, and a line for the rest.
   */
  static java.util.List<String> attempts(StepExecution x) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    int last = Math.max(1, x.attempts());
    int unknownUpTo = x.previousAttemptError() != null ? last - 2 : last - 1;
    if (unknownUpTo == 1) {
      lines.add("attempt 1: its error is not in the history (Temporal keeps the last attempt's)");
    } else if (unknownUpTo > 1) {
      lines.add("attempts 1-" + unknownUpTo + ": their errors are not in the history (Temporal keeps the last attempt's)");
    }
    if (x.previousAttemptError() != null) {
      lines.add("attempt " + (last - 1) + ": " + x.previousAttemptError());
    }
    lines.add("attempt " + last + ": " + (x.error() == null ? x.outcome() : x.error()) + (x.errorType() == null ? "" : " [" + x.errorType() + "]"));
    return lines;
  }

  static boolean failed(StepExecution x) {
    return x.outcome().equals("failed") || x.outcome().equals("timed out") || x.outcome().equals("canceled");
  }

  static String shortOutcome(StepExecution x) {
    return switch (x.outcome()) {
      case "succeeded" -> "ok";
      case "timed out" -> "timeout";
      case "canceled" -> "cancel";
      case "scheduled", "running" -> "run";
      default -> "FAIL";
    };
  }

  static String label(StepReport s, StepExecution x) {
    String name = s.name() + (x.undo() ? ".undo" : "");
    String suffix = x.undo() ? "" : x.round() > 0 ? " #" + x.round() : x.attemptOfStep() > 1 ? " try " + x.attemptOfStep() : "";
    String label = name + suffix;
    return label.length() > 22 ? label.substring(0, 21) + "…" : label;
  }

  static String gate(GateReport g, MigrationReport r) {
    return switch (g.state()) {
      case "approved" -> "approved " + time(g.approvedAt()) + " by " + ReportText.who(g.by(), g.identity()) + " (via " + g.via() + ")"
          + (g.openedAt() == null ? "" : ", opened " + time(g.openedAt()) + ", waited " + duration(g.waited()));
      case "open" -> "OPEN since " + time(g.openedAt()) + ": approve with `cutover approve " + r.workflowId() + " " + g.name() + " --comment '...'`";
      case "closed without approval" -> "opened " + time(g.openedAt()) + ", closed without approval";
      default -> "never opened";
    };
  }

  static String action(OperatorAction a) {
    String what = switch (a.kind()) {
      case "approve" -> "approve gate " + a.target();
      case "decide" -> "decide " + a.action() + " on step " + a.target();
      case "abort" -> "abort";
      default -> "signal " + a.kind();
    };
    String comment = a.comment() == null ? "" : ": \"" + a.comment() + "\"";
    return (a.accepted() ? "" : "IGNORED ") + what + comment;
  }

  /** The last moment the history tells of: its end, or the last thing that happened. */
  static Instant lastTime(MigrationReport r) {
    if (r.endedAt() != null) {
      return r.endedAt();
    }
    return Stream.of(
            r.steps().stream().flatMap(s -> s.executions().stream()).flatMap(x -> Stream.of(x.scheduledAt(), x.startedAt(), x.endedAt())),
            r.waits().stream().flatMap(w -> Stream.of(w.startedAt(), w.endedAt())),
            r.actions().stream().map(OperatorAction::at),
            r.phases().stream().flatMap(p -> Stream.of(p.startedAt(), p.endedAt())),
            r.runs().stream().map(ReportRun::startedAt))
        .flatMap(s -> s).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(r.startedAt());
  }
}
