package dev.cutover.cli.report;

import static dev.cutover.cli.report.ReportText.between;
import static dev.cutover.cli.report.ReportText.duration;
import static dev.cutover.cli.report.ReportText.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** The report for a terminal or a ticket: plain text, 100 columns at most for the tables. */
final class TextReport {
  private static final int BAR = 40;

  private TextReport() {}

  static String render(MigrationReport r) {
    StringBuilder out = new StringBuilder();
    out.append("Migration report: ").append(r.migration()).append("  (").append(r.workflowId()).append(")\n");
    if (r.description() != null) {
      out.append(r.description()).append('\n');
    }
    out.append('\n');
    line(out, "Outcome", ReportSummary.outcome(r));
    line(out, "Started", time(r.startedAt()) + " UTC" + (r.startedBy() == null ? "" : " by " + r.startedBy()));
    line(out, "Ended", r.endedAt() == null ? "still running at the end of the history" : time(r.endedAt()) + " UTC, after " + between(r.startedAt(), r.endedAt()));
    line(out, "Runs", ReportSummary.runs(r));
    line(out, "Downtime", ReportSummary.downtime(r));
    if (!r.presyncRounds().isEmpty()) {
      line(out, "Presync", r.presyncRounds().size() + " round(s)");
    }
    if (r.monitorChecks() > 0) {
      line(out, "Monitor", r.monitorChecks() + " check(s)");
    }

    out.append("\nPhases\n");
    out.append(String.format("  %-10s %-20s %-20s %s%n", "PHASE", "STARTED (UTC)", "ENDED (UTC)", "TOOK"));
    for (PhaseSpan p : r.phases()) {
      out.append(String.format("  %-10s %-20s %-20s %s%n", p.name(), time(p.startedAt()), p.endedAt() == null ? "running" : time(p.endedAt()),
          between(p.startedAt(), p.endedAt())));
    }

    timeline(out, r);

    out.append("\nSteps\n");
    for (StepReport s : r.steps()) {
      out.append(String.format("  %-10s %-22s %-12s %s%s%n", s.phase(), s.name(), s.kind(), s.state(),
          s.place() == null ? "" : "  on " + s.place()));
      for (StepExecution x : s.executions()) {
        out.append("      ").append(ReportSummary.execution(x)).append('\n');
        if (ReportSummary.failed(x)) {
          ReportSummary.attempts(x).forEach(l -> out.append("        ").append(l).append('\n'));
          for (String l : ReportText.lastLines(x.outputTail(), 10)) {
            out.append("        | ").append(l).append('\n');
          }
        } else if (x.attempts() > 1) {
          ReportSummary.attempts(x).forEach(l -> out.append("        ").append(l).append('\n'));
        }
      }
    }

    out.append("\nGates\n");
    if (r.gates().isEmpty()) {
      out.append("  none in the plan\n");
    }
    for (GateReport g : r.gates()) {
      out.append("  ").append(g.name()).append(g.before() == null ? "" : " (before " + g.before() + ")").append(": ")
          .append(ReportSummary.gate(g, r)).append('\n');
      if (g.comment() != null) {
        out.append("      comment: ").append(g.comment()).append('\n');
      }
    }

    out.append("\nOperator actions\n");
    if (r.actions().isEmpty()) {
      out.append("  none\n");
    }
    for (OperatorAction a : r.actions()) {
      out.append("  ").append(time(a.at())).append("  ").append(ReportSummary.action(a)).append('\n');
      out.append("      by ").append(ReportText.who(a.by(), a.identity())).append(", via ").append(a.via()).append('\n');
      if (a.answer() != null) {
        out.append("      ").append(a.accepted() ? "answer: " : "").append(a.answer()).append('\n');
      }
    }

    if (!r.notifications().isEmpty()) {
      out.append("\nNotifications\n");
      for (NotificationReport n : r.notifications()) {
        out.append(String.format("  %-20s %-10s %-18s %s%n", time(n.sentAt()), n.phase() == null ? "" : n.phase(), n.event(),
            n.title() == null ? "" : n.title()));
        out.append("      ").append(ReportSummary.notification(n)).append('\n');
      }
    }

    if (!r.waits().isEmpty()) {
      out.append("\nWaits\n");
      for (WaitReport w : r.waits()) {
        out.append(String.format("  %-20s %-10s %-9s %s%n", time(w.startedAt()), w.phase() == null ? "" : w.phase(),
            w.outcome(), w.what() + (w.endedAt() == null ? "" : ", " + between(w.startedAt(), w.endedAt()))));
      }
    }

    if (!r.presyncRounds().isEmpty()) {
      out.append("\nPresync rounds\n");
      out.append(String.format("  %5s %-20s %8s %10s %12s %10s %s%n", "ROUND", "STARTED (UTC)", "TOOK", "CHANGED", "SENT", "FILES", "RSYNC TIME"));
      for (PresyncRoundReport p : r.presyncRounds()) {
        out.append(String.format(Locale.ROOT, "  %5d %-20s %8s %10s %12s %10s %s%n", p.round(), time(p.startedAt()), between(p.startedAt(), p.endedAt()),
            p.changedFiles() == null ? "-" : String.format(Locale.ROOT, "%,d", p.changedFiles()),
            p.bytesSent() == null ? "-" : ReportText.bytes(p.bytesSent()),
            p.filesTransferred() == null ? "-" : String.format(Locale.ROOT, "%,d", p.filesTransferred()),
            p.syncMillis() == null ? "-" : duration(Duration.ofMillis(p.syncMillis()))));
      }
    }

    if (!r.children().isEmpty()) {
      out.append("\nChild workflows\n");
      r.children().forEach(c -> out.append("  ").append(c.workflowId()).append(" (").append(c.type()).append("): ").append(c.outcome())
          .append(", ").append(time(c.startedAt())).append(c.endedAt() == null ? "" : " to " + time(c.endedAt())).append('\n'));
    }
    if (!r.notes().isEmpty()) {
      out.append("\nNotes\n");
      r.notes().forEach(n -> out.append("  - ").append(n).append('\n'));
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format("%-9s %s%n", label + ":", value));
  }

  /** Every execution on one axis from the first to the last event, with the downtime marked. */
  private static void timeline(StringBuilder out, MigrationReport r) {
    Instant start = r.startedAt();
    Instant end = ReportSummary.lastTime(r);
    if (start == null || end == null) {
      return;
    }
    double total = Math.max(1, Duration.between(start, end).toMillis());
    out.append("\nTimeline (from ").append(time(start)).append(" to ").append(time(end)).append(" UTC; D = downtime)\n");
    var d = r.downtime();
    if (d != null) {
      int from = col(start, d.startedAt(), total);
      int to = Math.max(from + 1, col(start, d.endedAt() == null ? end : d.endedAt(), total));
      String bar = " ".repeat(from) + "D".repeat(Math.min(BAR, to) - from);
      out.append(String.format("  %-10s %-22s %-5s %9s %8s  |%-" + BAR + "s|%n", "", "downtime", "", "+" + between(start, d.startedAt()),
          d.measured() == null ? "" : duration(d.measured()), bar));
    }
    for (StepReport s : r.steps()) {
      for (StepExecution x : s.executions()) {
        Instant from = x.scheduledAt();
        Instant to = x.endedAt() != null ? x.endedAt() : end;
        int a = col(start, from, total);
        int b = Math.max(a + 1, col(start, to, total));
        char mark = ReportSummary.failed(x) ? 'x' : x.undo() ? 'u' : '#';
        String bar = " ".repeat(a) + String.valueOf(mark).repeat(Math.min(BAR, b) - a);
        out.append(String.format("  %-10s %-22s %-5s %9s %8s  |%-" + BAR + "s|%n", s.phase(), ReportSummary.label(s, x), ReportSummary.shortOutcome(x),
            "+" + between(start, from), between(from, to), bar));
      }
    }
  }

  private static int col(Instant start, Instant at, double total) {
    return Math.max(0, Math.min(BAR - 1, (int) Math.floor(Duration.between(start, at).toMillis() / total * BAR)));
  }
}
