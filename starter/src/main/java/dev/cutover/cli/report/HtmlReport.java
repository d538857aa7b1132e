package dev.cutover.cli.report;

import static dev.cutover.cli.report.ReportText.between;
import static dev.cutover.cli.report.ReportText.duration;
import static dev.cutover.cli.report.ReportText.time;

import java.time.Duration;
import java.util.Locale;

/**
 * The report as one self-contained HTML file: inline CSS and an inline SVG chart, no script and
 * nothing fetched, so it opens offline from a mail attachment or a ticket.
 */
final class HtmlReport {
  private static final String CSS =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:16px 24px;color:#222;max-width:1140px}
      h1{font-size:22px;margin:0 0 8px} h2{font-size:17px;margin:22px 0 6px;border-bottom:1px solid #ddd}
      table{border-collapse:collapse;font-size:13px;margin:4px 0} th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
      th{background:#f3f3f3} .summary th{width:110px} .ok{color:#2e7d32} .bad{color:#c62828;font-weight:bold} .ignored{background:#fff3e0}
      pre{background:#f6f6f6;border:1px solid #e3e3e3;padding:6px;margin:4px 0;font-size:12px;white-space:pre-wrap}
      code{font-size:12px} .muted{color:#777} ul{margin:4px 0;padding-left:20px} li{font-size:13px;margin:2px 0}
      """;

  private HtmlReport() {}

  static String render(MigrationReport r) {
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Migration report: ")
        .append(esc(ReportSummary.name(r)))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    out.append("<h1>Migration report: ").append(esc(ReportSummary.name(r))).append("</h1>\n");
    if (r.description() != null) {
      out.append("<p>").append(esc(r.description())).append("</p>\n");
    }
    out.append("<table class=\"summary\">\n");
    row(out, "Workflow", "<code>" + esc(r.workflowId()) + "</code>");
    row(
        out,
        "Outcome",
        "<span class=\""
            + (r.outcome().equals("completed") ? "ok" : "bad")
            + "\">"
            + esc(r.outcome())
            + "</span>"
            + (r.outcomeDetail() == null ? "" : " — " + esc(r.outcomeDetail())));
    row(
        out,
        "Started",
        esc(time(r.startedAt()) + " UTC" + (r.startedBy() == null ? "" : " by " + r.startedBy())));
    row(
        out,
        "Ended",
        esc(
            r.endedAt() == null
                ? "still running at the end of the history"
                : time(r.endedAt()) + " UTC, after " + between(r.startedAt(), r.endedAt())));
    row(out, "Runs", esc(ReportSummary.runs(r)));
    row(out, "Downtime", esc(ReportSummary.downtime(r)));
    out.append("</table>\n");

    out.append("<h2>Timeline</h2>\n").append(GanttSvg.render(r));

    out.append(
        "<h2>Phases</h2>\n<table>\n<tr><th>Phase</th><th>Started (UTC)</th><th>Ended (UTC)</th><th>Took</th></tr>\n");
    for (PhaseSpan p : r.phases()) {
      out.append("<tr><td>")
          .append(esc(p.name()))
          .append("</td><td>")
          .append(time(p.startedAt()))
          .append("</td><td>")
          .append(p.endedAt() == null ? "running" : time(p.endedAt()))
          .append("</td><td>")
          .append(between(p.startedAt(), p.endedAt()))
          .append("</td></tr>\n");
    }
    out.append("</table>\n");

    out.append(
        "<h2>Steps</h2>\n<table>\n<tr><th>Phase</th><th>Step</th><th>Kind</th><th>Where</th><th>State</th><th>What happened</th></tr>\n");
    for (StepReport s : r.steps()) {
      out.append("<tr><td>")
          .append(esc(s.phase()))
          .append("</td><td><code>")
          .append(esc(s.name()))
          .append("</code>")
          .append(
              s.lane() == null ? "" : " <span class=\"muted\">lane " + esc(s.lane()) + "</span>")
          .append(
              s.description() == null
                  ? ""
                  : "<br><span class=\"muted\">" + esc(s.description()) + "</span>")
          .append("</td><td>")
          .append(esc(s.kind()))
          .append("</td><td>")
          .append(esc(s.place()))
          .append("</td><td>")
          .append(cls(s.state()))
          .append("</td><td>");
      if (s.executions().isEmpty()) {
        out.append("<span class=\"muted\">did not run</span>");
      } else {
        out.append("<ul>");
        for (StepExecution x : s.executions()) {
          out.append("<li>").append(esc(ReportSummary.execution(x)));
          if (ReportSummary.failed(x)) {
            var lines = ReportSummary.attempts(x);
            for (int i = 0; i < lines.size(); i++) {
              boolean lastLine = i == lines.size() - 1;
              out.append("<br>")
                  .append(lastLine ? "<span class=\"bad\">" : "")
                  .append(esc(lines.get(i)))
                  .append(lastLine ? "</span>" : "");
            }
            var tail = ReportText.lastLines(x.outputTail(), 10);
            if (!tail.isEmpty()) {
              out.append("<pre>").append(esc(String.join("\n", tail))).append("</pre>");
            }
          } else if (x.attempts() > 1) {
            ReportSummary.attempts(x).forEach(l -> out.append("<br>").append(esc(l)));
          }
          out.append("</li>");
        }
        out.append("</ul>");
      }
      out.append("</td></tr>\n");
    }
    out.append("</table>\n");

    out.append("<h2>Gates</h2>\n");
    if (r.gates().isEmpty()) {
      out.append("<p class=\"muted\">None in the plan.</p>\n");
    } else {
      out.append(
          "<table>\n<tr><th>Gate</th><th>Before</th><th>State</th><th>Opened (UTC)</th><th>Approved (UTC)</th><th>Waited</th><th>By</th><th>Comment</th></tr>\n");
      for (GateReport g : r.gates()) {
        out.append("<tr><td><code>")
            .append(esc(g.name()))
            .append("</code></td><td>")
            .append(esc(g.before()))
            .append("</td><td>")
            .append(cls(g.state()))
            .append("</td><td>")
            .append(time(g.openedAt()))
            .append("</td><td>")
            .append(time(g.approvedAt()))
            .append("</td><td>")
            .append(duration(g.waited()))
            .append("</td><td>")
            .append(
                g.required() != null
                    ? esc(ReportSummary.approvals(g))
                    : g.approvedAt() == null
                        ? ""
                        : esc(ReportText.who(g.by(), g.identity())) + " (" + esc(g.via()) + ")")
            .append("</td><td>")
            .append(esc(g.comment()))
            .append("</td></tr>\n");
      }
      out.append("</table>\n");
    }

    out.append("<h2>Operator actions</h2>\n");
    if (r.actions().isEmpty()) {
      out.append("<p class=\"muted\">None.</p>\n");
    } else {
      out.append(
          "<table>\n<tr><th>At (UTC)</th><th>Action</th><th>By</th><th>Via</th><th>Result</th></tr>\n");
      for (OperatorAction a : r.actions()) {
        out.append(a.accepted() ? "<tr>" : "<tr class=\"ignored\">")
            .append("<td>")
            .append(time(a.at()))
            .append("</td><td>")
            .append(esc(ReportSummary.action(a)))
            .append("</td><td>")
            .append(esc(ReportText.who(a.by(), a.identity())))
            .append("</td><td>")
            .append(esc(a.via()))
            .append("</td><td>")
            .append(a.accepted() ? "accepted" : "<span class=\"bad\">ignored</span>")
            .append(a.answer() == null ? "" : ": " + esc(a.answer().replaceFirst("^ignored: ", "")))
            .append("</td></tr>\n");
      }
      out.append("</table>\n");
    }

    if (!r.notifications().isEmpty()) {
      out.append(
          "<h2>Notifications</h2>\n<table>\n<tr><th>Sent (UTC)</th><th>Phase</th><th>Event</th><th>Title</th><th>Result</th></tr>\n");
      for (NotificationReport n : r.notifications()) {
        boolean ok = n.outcome().equals("delivered");
        out.append("<tr><td>")
            .append(time(n.sentAt()))
            .append("</td><td>")
            .append(esc(n.phase()))
            .append("</td><td>")
            .append(esc(n.event()))
            .append("</td><td>")
            .append(esc(n.title()))
            .append("</td><td>")
            .append(ok ? "" : "<span class=\"bad\">")
            .append(esc(ReportSummary.notification(n)))
            .append(ok ? "" : "</span>")
            .append("</td></tr>\n");
      }
      out.append("</table>\n");
    }

    if (!r.waits().isEmpty()) {
      out.append(
          "<h2>Waits</h2>\n<table>\n<tr><th>Started (UTC)</th><th>Phase</th><th>What</th><th>Outcome</th><th>Took</th></tr>\n");
      for (WaitReport w : r.waits()) {
        out.append("<tr><td>")
            .append(time(w.startedAt()))
            .append("</td><td>")
            .append(esc(w.phase()))
            .append("</td><td>")
            .append(esc(w.what()))
            .append("</td><td>")
            .append(esc(w.outcome()))
            .append("</td><td>")
            .append(between(w.startedAt(), w.endedAt()))
            .append("</td></tr>\n");
      }
      out.append("</table>\n");
    }

    if (!r.presyncRounds().isEmpty()) {
      out.append(
          "<h2>Presync rounds</h2>\n<table>\n<tr><th>Round</th><th>Started (UTC)</th><th>Took</th><th>Changed</th><th>Sent</th><th>Files</th><th>rsync time</th></tr>\n");
      for (PresyncRoundReport p : r.presyncRounds()) {
        out.append("<tr><td>")
            .append(p.round())
            .append("</td><td>")
            .append(time(p.startedAt()))
            .append("</td><td>")
            .append(between(p.startedAt(), p.endedAt()))
            .append("</td><td>")
            .append(
                p.changedFiles() == null
                    ? "-"
                    : String.format(Locale.ROOT, "%,d", p.changedFiles()))
            .append("</td><td>")
            .append(p.bytesSent() == null ? "-" : ReportText.bytes(p.bytesSent()))
            .append("</td><td>")
            .append(
                p.filesTransferred() == null
                    ? "-"
                    : String.format(Locale.ROOT, "%,d", p.filesTransferred()))
            .append("</td><td>")
            .append(p.syncMillis() == null ? "-" : duration(Duration.ofMillis(p.syncMillis())))
            .append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    if (!r.children().isEmpty()) {
      out.append("<h2>Child workflows</h2>\n<ul>\n");
      r.children()
          .forEach(
              c ->
                  out.append("<li><code>")
                      .append(esc(c.workflowId()))
                      .append("</code> (")
                      .append(esc(c.type()))
                      .append("): ")
                      .append(esc(c.outcome()))
                      .append(", ")
                      .append(time(c.startedAt()))
                      .append(c.endedAt() == null ? "" : " to " + time(c.endedAt()))
                      .append("</li>\n"));
      out.append("</ul>\n");
    }
    if (!r.notes().isEmpty()) {
      out.append("<h2>Notes</h2>\n<ul>\n");
      r.notes().forEach(n -> out.append("<li>").append(esc(n)).append("</li>\n"));
      out.append("</ul>\n");
    }
    out.append(
        "<p class=\"muted\">Made by <code>cutover report</code> from the Temporal history. Times in UTC.</p>\n</body>\n</html>\n");
    return out.toString();
  }

  private static void row(StringBuilder out, String label, String html) {
    out.append("<tr><th>").append(label).append("</th><td>").append(html).append("</td></tr>\n");
  }

  private static String cls(String state) {
    boolean bad = state.contains("fail") || state.contains("blocked") || state.contains("without");
    return bad ? "<span class=\"bad\">" + esc(state) + "</span>" : esc(state);
  }

  /**
   * Text from the history as HTML text or a double-quoted attribute value (in the page and its
   * SVG): markup characters as entities, and control characters as {@link TerminalText} shows them,
   * since a browser would drop them silently and a terminal reading the file would obey them.
   */
  static String esc(String text) {
    if (text == null) {
      return "";
    }
    return TerminalText.block(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
