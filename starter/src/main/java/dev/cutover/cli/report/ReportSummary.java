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
    return n == 1
        ? "1 (never continued as new)"
        : n + " (continued as new " + (n - 1) + " time" + (n == 2 ? "" : "s") + ")";
  }

  static String downtime(MigrationReport r) {
    var d = r.downtime();
    if (d == null) {
      return "none (no downtime step ran)";
    }
    String window =
        time(d.startedAt())
            + " to "
            + (d.endedAt() == null ? "(still down)" : time(d.endedAt()))
            + " UTC";
    String measured = d.measured() == null ? "still counting" : duration(d.measured());
    String budget =
        d.budget() == null
            ? ""
            : " of budget "
                + duration(d.budget())
                + (d.budgetExceeded() ? " — BUDGET EXCEEDED" : ", within budget");
    return measured + budget + " (" + window + ")";
  }

  /** A notification's outcome as a person reads it: delivered by which channels, or why not. */
  static String notification(NotificationReport n) {
    StringBuilder s = new StringBuilder(n.outcome());
    if (n.attempts() > 1) {
      s.append(" after ").append(n.attempts()).append(" attempts");
    }
    if (n.detail() != null) {
      s.append(n.detail().startsWith("by ") || n.detail().startsWith("not by ") ? " " : ": ")
          .append(n.detail());
    }
    return s.toString();
  }

  static String execution(StepExecution x) {
    StringBuilder s = new StringBuilder();
    if (x.undo()) {
      s.append("undo");
    } else if (x.round() > 0) {
      s.append("round ")
          .append(x.round())
          .append(x.attemptOfStep() > 1 ? ", try " + x.attemptOfStep() : "");
    } else {
      s.append("try ").append(x.attemptOfStep());
    }
    s.append(": ")
        .append(x.activity().equals("timer") ? "wait" : x.activity())
        .append(' ')
        .append(x.outcome());
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
   * The failed attempts of an execution, one line each, oldest first: every earlier attempt's error
   * the history holds ({@link StepExecution#earlierAttempts()}), a line for each run of attempts it
   * holds none for, and for a failed execution its last attempt's error. A succeeded execution
   * lists only the attempts before the one that succeeded.
   */
  static java.util.List<String> attempts(StepExecution x) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    int last = Math.max(1, x.attempts());
    java.util.Map<Integer, AttemptFailure> known = new java.util.TreeMap<>();
    x.earlierAttempts().forEach(f -> known.put(f.attempt(), f));
    int gapFrom = 0;
    for (int attempt = 1; attempt < last; attempt++) {
      AttemptFailure f = known.get(attempt);
      if (f == null) {
        if (gapFrom == 0) {
          gapFrom = attempt;
        }
        continue;
      }
      unknown(lines, gapFrom, attempt - 1);
      gapFrom = 0;
      lines.add(
          "attempt "
              + attempt
              + ": "
              + f.error()
              + (f.errorType() == null ? "" : " [" + f.errorType() + "]"));
    }
    unknown(lines, gapFrom, last - 1);
    if (!x.outcome().equals("succeeded")) {
      lines.add(
          "attempt "
              + last
              + ": "
              + (x.error() == null ? x.outcome() : x.error())
              + (x.errorType() == null ? "" : " [" + x.errorType() + "]"));
    }
    return lines;
  }

  /**
   * A line for attempts {@code from} to {@code to} whose errors the history does not hold; none
   * when {@code from} is 0.
   */
  private static void unknown(java.util.List<String> lines, int from, int to) {
    if (from == 0 || to < from) {
      return;
    }
    lines.add(
        from == to
            ? "attempt "
                + from
                + ": its error is not in the history (it ended without one, or Temporal did not keep it)"
            : "attempts "
                + from
                + "-"
                + to
                + ": their errors are not in the history (they ended without one, or Temporal did not keep them)");
  }

  static boolean failed(StepExecution x) {
    return x.outcome().equals("failed")
        || x.outcome().equals("timed out")
        || x.outcome().equals("canceled");
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
    String suffix =
        x.undo()
            ? ""
            : x.round() > 0
                ? " #" + x.round()
                : x.attemptOfStep() > 1 ? " try " + x.attemptOfStep() : "";
    String label = name + suffix;
    return label.length() > 22 ? label.substring(0, 21) + "…" : label;
  }

  static String gate(GateReport g, MigrationReport r) {
    return switch (g.state()) {
      case "approved" ->
          "approved "
              + time(g.approvedAt())
              + " by "
              + (g.required() == null
                  ? ReportText.who(g.by(), g.identity())
                  : approvals(g))
              + " (via "
              + g.via()
              + ")"
              + (g.openedAt() == null
                  ? ""
                  : ", opened " + time(g.openedAt()) + ", waited " + duration(g.waited()));
      case "open" ->
          "OPEN since "
              + time(g.openedAt())
              + ": approve with `cutover approve "
              + r.workflowId()
              + " "
              + g.name()
              + " --comment '...'"
              + (g.required() == null ? "" : " --sign-with KEY")
              + "`"
              + (g.required() == null ? "" : "; has " + approvals(g));
      case "closed without approval" ->
          "opened "
              + time(g.openedAt())
              + ", closed without approval"
              + (g.required() == null ? "" : " (had " + approvals(g) + ")");
      default -> "never opened";
    };
  }

  /**
   * A gate under an approval policy: "2 of 2 approvals: alice (SHA256:...), unverified (claimed
   * identity bob)", and while it has too few, who could still give one.
   */
  static String approvals(GateReport g) {
    return g.approvals().size()
        + " of "
        + g.required()
        + " approvals"
        + (g.approvals().isEmpty() ? "" : ": " + String.join(", ", g.approvals()))
        + (g.stillNeeded() == null
            ? ""
            : "; still needed from "
                + (g.stillNeeded().isEmpty()
                    ? "no listed approver"
                    : String.join(", ", g.stillNeeded())));
  }

  static String action(OperatorAction a) {
    String what =
        switch (a.kind()) {
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
            r.steps().stream()
                .flatMap(s -> s.executions().stream())
                .flatMap(x -> Stream.of(x.scheduledAt(), x.startedAt(), x.endedAt())),
            r.waits().stream().flatMap(w -> Stream.of(w.startedAt(), w.endedAt())),
            r.actions().stream().map(OperatorAction::at),
            r.phases().stream().flatMap(p -> Stream.of(p.startedAt(), p.endedAt())),
            r.runs().stream().map(ReportRun::startedAt))
        .flatMap(s -> s)
        .filter(Objects::nonNull)
        .max(Comparator.naturalOrder())
        .orElse(r.startedAt());
  }
}
