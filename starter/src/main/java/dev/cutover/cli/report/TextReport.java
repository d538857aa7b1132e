package dev.cutover.cli.report;

import static dev.cutover.cli.report.ReportText.between;
import static dev.cutover.cli.report.ReportText.duration;
import static dev.cutover.cli.report.ReportText.time;
import static dev.cutover.cli.report.TerminalText.line;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The report for a terminal or a ticket: plain text, 100 columns at most for the tables. Values
 * from the history go through {@link TerminalText} one by one (a line break in one cannot forge a
 * line of the report) and the whole text once more, so it is safe to {@code cat}.
 */
final class TextReport {
  private static final int BAR = 40;

  private TextReport() {}

  static String render(MigrationReport r) {
    StringBuilder out = new StringBuilder();
    out.append("Migration report: ")
        .append(line(ReportSummary.name(r)))
        .append("  (")
        .append(line(r.workflowId()))
        .append(")\n");
    if (r.description() != null) {
      out.append(TerminalText.block(r.description())).append('\n');
    }
    out.append('\n');
    field(out, "Outcome", line(ReportSummary.outcome(r)));
    field(
        out,
        "Started",
        time(r.startedAt()) + " UTC" + (r.startedBy() == null ? "" : " by " + line(r.startedBy())));
    field(
        out,
        "Ended",
        r.endedAt() == null
            ? "still running at the end of the history"
            : time(r.endedAt()) + " UTC, after " + between(r.startedAt(), r.endedAt()));
    field(out, "Runs", ReportSummary.runs(r));
    field(out, "Downtime", ReportSummary.downtime(r));
    if (!r.presyncRounds().isEmpty()) {
      field(out, "Presync", r.presyncRounds().size() + " round(s)");
    }
    if (r.monitorChecks() > 0) {
      field(out, "Monitor", r.monitorChecks() + " check(s)");
    }

    out.append("\nPhases\n");
    out.append(
        String.format("  %-10s %-20s %-20s %s%n", "PHASE", "STARTED (UTC)", "ENDED (UTC)", "TOOK"));
    for (PhaseSpan p : r.phases()) {
      out.append(
          String.format(
              "  %-10s %-20s %-20s %s%n",
              line(p.name()),
              time(p.startedAt()),
              p.endedAt() == null ? "running" : time(p.endedAt()),
              between(p.startedAt(), p.endedAt())));
    }

    timeline(out, r);

    out.append("\nSteps\n");
    for (StepReport s : r.steps()) {
      out.append(
          String.format(
              "  %-10s %-22s %-12s %s%s%s%n",
              line(s.phase()),
              line(s.name()),
              line(s.kind()),
              line(s.state()),
              s.place() == null ? "" : "  on " + line(s.place()),
              s.lane() == null ? "" : "  in lane " + line(s.lane())));
      for (StepExecution x : s.executions()) {
        out.append("      ").append(line(ReportSummary.execution(x))).append('\n');
        if (ReportSummary.failed(x)) {
          ReportSummary.attempts(x)
              .forEach(l -> out.append("        ").append(line(l)).append('\n'));
          for (String l : ReportText.lastLines(x.outputTail(), 10)) {
            out.append("        | ").append(TerminalText.block(l)).append('\n');
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
      out.append("  ")
          .append(line(g.name()))
          .append(g.before() == null ? "" : " (before " + line(g.before()) + ")")
          .append(": ")
          .append(line(ReportSummary.gate(g, r)))
          .append('\n');
      if (g.comment() != null) {
        out.append("      comment: ").append(line(g.comment())).append('\n');
      }
    }

    out.append("\nOperator actions\n");
    if (r.actions().isEmpty()) {
      out.append("  none\n");
    }
    for (OperatorAction a : r.actions()) {
      out.append("  ")
          .append(time(a.at()))
          .append("  ")
          .append(line(ReportSummary.action(a)))
          .append('\n');
      out.append("      by ")
          .append(line(ReportText.who(a.by(), a.identity())))
          .append(", via ")
          .append(line(a.via()))
          .append('\n');
      if (a.answer() != null) {
        out.append("      ")
            .append(a.accepted() ? "answer: " : "")
            .append(line(a.answer()))
            .append('\n');
      }
    }

    if (!r.notifications().isEmpty()) {
      out.append("\nNotifications\n");
      for (NotificationReport n : r.notifications()) {
        out.append(
            String.format(
                "  %-20s %-10s %-18s %s%n",
                time(n.sentAt()),
                n.phase() == null ? "" : line(n.phase()),
                line(n.event()),
                n.title() == null ? "" : line(n.title())));
        out.append("      ").append(line(ReportSummary.notification(n))).append('\n');
      }
    }

    if (!r.waits().isEmpty()) {
      out.append("\nWaits\n");
      for (WaitReport w : r.waits()) {
        out.append(
            String.format(
                "  %-20s %-10s %-9s %s%n",
                time(w.startedAt()),
                w.phase() == null ? "" : line(w.phase()),
                line(w.outcome()),
                line(w.what())
                    + (w.endedAt() == null ? "" : ", " + between(w.startedAt(), w.endedAt()))));
      }
    }

    if (!r.presyncRounds().isEmpty()) {
      out.append("\nPresync rounds\n");
      out.append(
          String.format(
              "  %5s %-20s %8s %10s %12s %10s %s%n",
              "ROUND", "STARTED (UTC)", "TOOK", "CHANGED", "SENT", "FILES", "RSYNC TIME"));
      for (PresyncRoundReport p : r.presyncRounds()) {
        out.append(
            String.format(
                Locale.ROOT,
                "  %5d %-20s %8s %10s %12s %10s %s%n",
                p.round(),
                time(p.startedAt()),
                between(p.startedAt(), p.endedAt()),
                p.changedFiles() == null
                    ? "-"
                    : String.format(Locale.ROOT, "%,d", p.changedFiles()),
                p.bytesSent() == null ? "-" : ReportText.bytes(p.bytesSent()),
                p.filesTransferred() == null
                    ? "-"
                    : String.format(Locale.ROOT, "%,d", p.filesTransferred()),
                p.syncMillis() == null ? "-" : duration(Duration.ofMillis(p.syncMillis()))));
      }
    }

    if (!r.children().isEmpty()) {
      out.append("\nChild workflows\n");
      r.children()
          .forEach(
              c ->
                  out.append("  ")
                      .append(line(c.workflowId()))
                      .append(" (")
                      .append(line(c.type()))
                      .append("): ")
                      .append(line(c.outcome()))
                      .append(", ")
                      .append(time(c.startedAt()))
                      .append(c.endedAt() == null ? "" : " to " + time(c.endedAt()))
                      .append('\n'));
    }
    if (!r.notes().isEmpty()) {
      out.append("\nNotes\n");
      r.notes().forEach(n -> out.append("  - ").append(line(n)).append('\n'));
    }
    return TerminalText.block(out.toString());
  }

  private static void field(StringBuilder out, String label, String value) {
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
    out.append("\nTimeline (from ")
        .append(time(start))
        .append(" to ")
        .append(time(end))
        .append(" UTC; D = downtime)\n");
    var d = r.downtime();
    if (d != null) {
      int from = col(start, d.startedAt(), total);
      int to = Math.max(from + 1, col(start, d.endedAt() == null ? end : d.endedAt(), total));
      String bar = " ".repeat(from) + "D".repeat(Math.min(BAR, to) - from);
      out.append(
          String.format(
              "  %-10s %-22s %-5s %9s %8s  |%-" + BAR + "s|%n",
              "",
              "downtime",
              "",
              "+" + between(start, d.startedAt()),
              d.measured() == null ? "" : duration(d.measured()),
              bar));
    }
    for (StepReport s : r.steps()) {
      for (StepExecution x : s.executions()) {
        Instant from = x.scheduledAt();
        Instant to = x.endedAt() != null ? x.endedAt() : end;
        int a = col(start, from, total);
        int b = Math.max(a + 1, col(start, to, total));
        char mark = ReportSummary.failed(x) ? 'x' : x.undo() ? 'u' : '#';
        String bar = " ".repeat(a) + String.valueOf(mark).repeat(Math.min(BAR, b) - a);
        out.append(
            String.format(
                "  %-10s %-22s %-5s %9s %8s  |%-" + BAR + "s|%n",
                line(s.phase()),
                line(ReportSummary.label(s, x)),
                ReportSummary.shortOutcome(x),
                "+" + between(start, from),
                between(from, to),
                bar));
      }
    }
  }

  private static int col(Instant start, Instant at, double total) {
    return Math.max(
        0,
        Math.min(BAR - 1, (int) Math.floor(Duration.between(start, at).toMillis() / total * BAR)));
  }
}
