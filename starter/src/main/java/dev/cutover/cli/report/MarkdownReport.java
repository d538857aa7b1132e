package dev.cutover.cli.report;

import static dev.cutover.cli.report.ReportText.between;
import static dev.cutover.cli.report.ReportText.duration;
import static dev.cutover.cli.report.ReportText.time;

import java.time.Duration;
import java.util.Locale;

/** The report as Markdown, for an incident ticket or a wiki page. */
final class MarkdownReport {
  private MarkdownReport() {}

  static String render(MigrationReport r) {
    StringBuilder out = new StringBuilder();
    out.append("# Migration report: ").append(esc(ReportSummary.name(r))).append("\n\n");
    if (r.description() != null) {
      out.append(esc(r.description())).append("\n\n");
    }
    out.append("| | |\n|---|---|\n");
    row(out, "Workflow", code(r.workflowId(), true));
    row(
        out,
        "Outcome",
        "**"
            + esc(r.outcome())
            + "**"
            + (r.outcomeDetail() == null ? "" : " — " + esc(r.outcomeDetail())));
    row(
        out,
        "Started",
        time(r.startedAt()) + " UTC" + (r.startedBy() == null ? "" : " by " + esc(r.startedBy())));
    row(
        out,
        "Ended",
        r.endedAt() == null
            ? "still running at the end of the history"
            : time(r.endedAt()) + " UTC, after " + between(r.startedAt(), r.endedAt()));
    row(out, "Runs", ReportSummary.runs(r));
    row(out, "Downtime", esc(ReportSummary.downtime(r)));
    if (!r.presyncRounds().isEmpty()) {
      row(out, "Presync", r.presyncRounds().size() + " round(s)");
    }
    if (r.monitorChecks() > 0) {
      row(out, "Monitor", r.monitorChecks() + " check(s)");
    }

    out.append(
        "\n## Phases\n\n| Phase | Started (UTC) | Ended (UTC) | Took |\n|---|---|---|---|\n");
    for (PhaseSpan p : r.phases()) {
      out.append("| ")
          .append(esc(p.name()))
          .append(" | ")
          .append(time(p.startedAt()))
          .append(" | ")
          .append(p.endedAt() == null ? "running" : time(p.endedAt()))
          .append(" | ")
          .append(between(p.startedAt(), p.endedAt()))
          .append(" |\n");
    }

    out.append(
        "\n## Steps\n\n| Phase | Step | Kind | Where | State | Runs |\n|---|---|---|---|---|---|\n");
    for (StepReport s : r.steps()) {
      out.append("| ")
          .append(esc(s.phase()))
          .append(" | ")
          .append(code(s.name(), true))
          .append(s.lane() == null ? "" : " (lane " + esc(s.lane()) + ")")
          .append(" | ")
          .append(esc(s.kind()))
          .append(" | ")
          .append(s.place() == null ? "" : esc(s.place()))
          .append(" | ")
          .append(esc(s.state()))
          .append(" | ")
          .append(s.executions().size())
          .append(" |\n");
    }
    for (StepReport s : r.steps()) {
      if (s.executions().isEmpty()) {
        continue;
      }
      out.append("\n### ")
          .append(code(s.name(), false))
          .append(" (")
          .append(esc(s.phase()))
          .append(", ")
          .append(esc(s.state()))
          .append(")\n\n");
      if (s.description() != null) {
        out.append(esc(s.description())).append("\n\n");
      }
      for (StepExecution x : s.executions()) {
        out.append("- ").append(esc(ReportSummary.execution(x))).append('\n');
        if (ReportSummary.failed(x)) {
          ReportSummary.attempts(x).forEach(l -> out.append("  - ").append(esc(l)).append('\n'));
          var tail = ReportText.lastLines(x.outputTail(), 10);
          if (!tail.isEmpty()) {
            out.append("\n    ```\n");
            tail.forEach(l -> out.append("    ").append(fenced(l)).append('\n'));
            out.append("    ```\n\n");
          }
        } else if (x.attempts() > 1) {
          ReportSummary.attempts(x).forEach(l -> out.append("  - ").append(esc(l)).append('\n'));
        }
      }
    }

    out.append("\n## Gates\n\n");
    if (r.gates().isEmpty()) {
      out.append("None in the plan.\n");
    } else {
      out.append(
          "| Gate | Before | State | Opened (UTC) | Approved (UTC) | Waited | By | Comment |\n|---|---|---|---|---|---|---|---|\n");
      for (GateReport g : r.gates()) {
        out.append("| ")
            .append(code(g.name(), true))
            .append(" | ")
            .append(g.before() == null ? "" : esc(g.before()))
            .append(" | ")
            .append(esc(g.state()))
            .append(" | ")
            .append(time(g.openedAt()))
            .append(" | ")
            .append(time(g.approvedAt()))
            .append(" | ")
            .append(duration(g.waited()))
            .append(" | ")
            .append(
                g.required() != null
                    ? esc(ReportSummary.approvals(g))
                    : g.approvedAt() == null
                        ? ""
                        : esc(ReportText.who(g.by(), g.identity())) + " (" + esc(g.via()) + ")")
            .append(" | ")
            .append(g.comment() == null ? "" : esc(g.comment()))
            .append(" |\n");
      }
    }

    out.append("\n## Operator actions\n\n");
    if (r.actions().isEmpty()) {
      out.append("None.\n");
    } else {
      out.append("| At (UTC) | Action | By | Via | Result |\n|---|---|---|---|---|\n");
      for (OperatorAction a : r.actions()) {
        out.append("| ")
            .append(time(a.at()))
            .append(" | ")
            .append(esc(ReportSummary.action(a)))
            .append(" | ")
            .append(esc(ReportText.who(a.by(), a.identity())))
            .append(" | ")
            .append(esc(a.via()))
            .append(" | ")
            .append(a.accepted() ? "accepted" : "**ignored**")
            .append(a.answer() == null ? "" : ": " + esc(a.answer().replaceFirst("^ignored: ", "")))
            .append(" |\n");
      }
    }

    if (!r.notifications().isEmpty()) {
      out.append(
          "\n## Notifications\n\n| Sent (UTC) | Phase | Event | Title | Result |\n|---|---|---|---|---|\n");
      for (NotificationReport n : r.notifications()) {
        out.append("| ")
            .append(time(n.sentAt()))
            .append(" | ")
            .append(n.phase() == null ? "" : esc(n.phase()))
            .append(" | ")
            .append(esc(n.event()))
            .append(" | ")
            .append(esc(n.title()))
            .append(" | ")
            .append(n.outcome().equals("delivered") ? "" : "**")
            .append(esc(ReportSummary.notification(n)))
            .append(n.outcome().equals("delivered") ? "" : "**")
            .append(" |\n");
      }
    }

    if (!r.waits().isEmpty()) {
      out.append(
          "\n## Waits\n\n| Started (UTC) | Phase | What | Outcome | Took |\n|---|---|---|---|---|\n");
      for (WaitReport w : r.waits()) {
        out.append("| ")
            .append(time(w.startedAt()))
            .append(" | ")
            .append(w.phase() == null ? "" : esc(w.phase()))
            .append(" | ")
            .append(esc(w.what()))
            .append(" | ")
            .append(esc(w.outcome()))
            .append(" | ")
            .append(between(w.startedAt(), w.endedAt()))
            .append(" |\n");
      }
    }

    if (!r.presyncRounds().isEmpty()) {
      out.append(
          "\n## Presync rounds\n\n| Round | Started (UTC) | Took | Changed | Sent | Files | rsync time |\n|---|---|---|---|---|---|---|\n");
      for (PresyncRoundReport p : r.presyncRounds()) {
        out.append("| ")
            .append(p.round())
            .append(" | ")
            .append(time(p.startedAt()))
            .append(" | ")
            .append(between(p.startedAt(), p.endedAt()))
            .append(" | ")
            .append(
                p.changedFiles() == null
                    ? "-"
                    : String.format(Locale.ROOT, "%,d", p.changedFiles()))
            .append(" | ")
            .append(p.bytesSent() == null ? "-" : ReportText.bytes(p.bytesSent()))
            .append(" | ")
            .append(
                p.filesTransferred() == null
                    ? "-"
                    : String.format(Locale.ROOT, "%,d", p.filesTransferred()))
            .append(" | ")
            .append(p.syncMillis() == null ? "-" : duration(Duration.ofMillis(p.syncMillis())))
            .append(" |\n");
      }
    }

    if (!r.children().isEmpty()) {
      out.append("\n## Child workflows\n\n");
      r.children()
          .forEach(
              c ->
                  out.append("- ")
                      .append(code(c.workflowId(), false))
                      .append(" (")
                      .append(esc(c.type()))
                      .append("): ")
                      .append(esc(c.outcome()))
                      .append(", ")
                      .append(time(c.startedAt()))
                      .append(c.endedAt() == null ? "" : " to " + time(c.endedAt()))
                      .append('\n'));
    }
    if (!r.notes().isEmpty()) {
      out.append("\n## Notes\n\n");
      r.notes().forEach(n -> out.append("- ").append(esc(n)).append('\n'));
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String label, String value) {
    out.append("| ").append(label).append(" | ").append(value).append(" |\n");
  }

  /**
   * Text from the history as Markdown text, in a table cell, a list item or a paragraph: it must
   * not break the table, turn into markup, or become a live link or image. Control characters are
   * escaped as on a terminal ({@link TerminalText}), line breaks become spaces, and then:
   *
   * <ul>
   *   <li>{@code \ ` * _ ~ [ ] |} are backslash-escaped everywhere: with no {@code [} no link,
   *       image or reference definition can form, so {@code ( ) !} need no escape;
   *   <li>{@code &} and {@code <} are entities: no raw HTML, no {@code <scheme:...>} autolink, and
   *       an entity in the text shows as typed;
   *   <li>GitHub's bare autolinks are broken by escaping the {@code :} of {@code ://}, the {@code
   *       .} of {@code www.} and every {@code @};
   *   <li>what makes a block at the start of a line ({@code # > + - =}, {@code 1.}, {@code 1)}) is
   *       escaped there.
   * </ul>
   */
  static String esc(String text) {
    if (text == null) {
      return "";
    }
    String t = TerminalText.line(text.replace("\r\n", " ").replace('\n', ' '));
    StringBuilder out = new StringBuilder(t.length() + 16);
    int start = 0;
    while (start < t.length() && t.charAt(start) == ' ') {
      out.append(' ');
      start++;
    }
    int digits = start;
    while (digits < t.length() && Character.isDigit(t.charAt(digits))) {
      digits++;
    }
    // An ordered-list marker is up to nine digits and a . or ) at the start.
    int listMarker =
        digits > start
                && digits - start <= 9
                && digits < t.length()
                && (t.charAt(digits) == '.' || t.charAt(digits) == ')')
            ? digits
            : -1;
    for (int i = start; i < t.length(); i++) {
      char c = t.charAt(i);
      switch (c) {
        case '\\', '`', '*', '_', '~', '[', ']', '|' -> out.append('\\').append(c);
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '@' -> out.append("\\@");
        case ':' -> out.append(t.startsWith("//", i + 1) ? "\\:" : ":");
        case '.' -> out.append(i == listMarker || wwwDot(t, i) ? "\\." : ".");
        case ')' -> out.append(i == listMarker ? "\\)" : ")");
        case '#', '>', '+', '-', '=' -> out.append(i == start ? "\\" + c : String.valueOf(c));
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The dot of a {@code www.} at the start of a word, where GitHub would start a link. */
  private static boolean wwwDot(String t, int dot) {
    int w = dot - 3;
    return w >= 0
        && t.regionMatches(true, w, "www", 0, 3)
        && (w == 0 || !Character.isLetterOrDigit(t.charAt(w - 1)));
  }

  /**
   * A name as an inline code span that nothing in it can end early: the fence is one backtick
   * longer than the longest run of backticks inside. In a table a {@code |} still ends the cell
   * (GitHub's rule, code span or not), so there it is escaped as {@code \|}.
   */
  static String code(String text, boolean inTable) {
    String t = TerminalText.line(text == null ? "" : text.replace("\r\n", " ").replace('\n', ' '));
    if (inTable) {
      t = t.replace("|", "\\|");
    }
    int longest = 0;
    int run = 0;
    for (int i = 0; i < t.length(); i++) {
      run = t.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(longest + 1);
    String pad = t.startsWith("`") || t.endsWith("`") ? " " : "";
    return fence + pad + t + pad + fence;
  }

  /** An output line inside a fenced block: no fence of its own, and no control character. */
  static String fenced(String line) {
    return TerminalText.block(line).replace("```", "'''");
  }
}
