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
    out.append("# Migration report: ").append(esc(r.migration())).append("\n\n");
    if (r.description() != null) {
      out.append(esc(r.description())).append("\n\n");
    }
    out.append("| | |\n|---|---|\n");
    row(out, "Workflow", "`" + r.workflowId() + "`");
    row(out, "Outcome", "**" + esc(r.outcome()) + "**" + (r.outcomeDetail() == null ? "" : " — " + esc(r.outcomeDetail())));
    row(out, "Started", time(r.startedAt()) + " UTC" + (r.startedBy() == null ? "" : " by " + esc(r.startedBy())));
    row(out, "Ended", r.endedAt() == null ? "still running at the end of the history" : time(r.endedAt()) + " UTC, after " + between(r.startedAt(), r.endedAt()));
    row(out, "Runs", ReportSummary.runs(r));
    row(out, "Downtime", esc(ReportSummary.downtime(r)));
    if (!r.presyncRounds().isEmpty()) {
      row(out, "Presync", r.presyncRounds().size() + " round(s)");
    }
    if (r.monitorChecks() > 0) {
      row(out, "Monitor", r.monitorChecks() + " check(s)");
    }

    out.append("\n## Phases\n\n| Phase | Started (UTC) | Ended (UTC) | Took |\n|---|---|---|---|\n");
    for (PhaseSpan p : r.phases()) {
      out.append("| ").append(p.name()).append(" | ").append(time(p.startedAt())).append(" | ")
          .append(p.endedAt() == null ? "running" : time(p.endedAt())).append(" | ").append(between(p.startedAt(), p.endedAt())).append(" |\n");
    }

    out.append("\n## Steps\n\n| Phase | Step | Kind | Where | State | Runs |\n|---|---|---|---|---|---|\n");
    for (StepReport s : r.steps()) {
      out.append("| ").append(s.phase()).append(" | `").append(s.name()).append("` | ").append(s.kind()).append(" | ")
          .append(s.place() == null ? "" : esc(s.place())).append(" | ").append(s.state()).append(" | ")
          .append(s.executions().size()).append(" |\n");
    }
    for (StepReport s : r.steps()) {
      if (s.executions().isEmpty()) {
        continue;
      }
      out.append("\n### `").append(s.name()).append("` (").append(s.phase()).append(", ").append(s.state()).append(")\n\n");
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
            tail.forEach(l -> out.append("    ").append(l.replace("```", "'''")).append('\n'));
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
      out.append("| Gate | Before | State | Opened (UTC) | Approved (UTC) | Waited | By | Comment |\n|---|---|---|---|---|---|---|---|\n");
      for (GateReport g : r.gates()) {
        out.append("| `").append(g.name()).append("` | ").append(g.before() == null ? "" : g.before()).append(" | ").append(g.state())
            .append(" | ").append(time(g.openedAt())).append(" | ").append(time(g.approvedAt())).append(" | ").append(duration(g.waited()))
            .append(" | ").append(g.approvedAt() == null ? "" : esc(ReportText.who(g.by(), g.identity())) + " (" + g.via() + ")")
            .append(" | ").append(g.comment() == null ? "" : esc(g.comment())).append(" |\n");
      }
    }

    out.append("\n## Operator actions\n\n");
    if (r.actions().isEmpty()) {
      out.append("None.\n");
    } else {
      out.append("| At (UTC) | Action | By | Via | Result |\n|---|---|---|---|---|\n");
      for (OperatorAction a : r.actions()) {
        out.append("| ").append(time(a.at())).append(" | ").append(esc(ReportSummary.action(a))).append(" | ")
            .append(esc(ReportText.who(a.by(), a.identity()))).append(" | ").append(a.via()).append(" | ")
            .append(a.accepted() ? "accepted" : "**ignored**").append(a.answer() == null ? "" : ": " + esc(a.answer().replaceFirst("^ignored: ", "")))
            .append(" |\n");
      }
    }

    if (!r.notifications().isEmpty()) {
      out.append("\n## Notifications\n\n| Sent (UTC) | Phase | Event | Title | Result |\n|---|---|---|---|---|\n");
      for (NotificationReport n : r.notifications()) {
        out.append("| ").append(time(n.sentAt())).append(" | ").append(n.phase() == null ? "" : n.phase()).append(" | ").append(n.event())
            .append(" | ").append(esc(n.title())).append(" | ").append(n.outcome().equals("delivered") ? "" : "**")
            .append(esc(ReportSummary.notification(n))).append(n.outcome().equals("delivered") ? "" : "**").append(" |\n");
      }
    }

    if (!r.waits().isEmpty()) {
      out.append("\n## Waits\n\n| Started (UTC) | Phase | What | Outcome | Took |\n|---|---|---|---|---|\n");
      for (WaitReport w : r.waits()) {
        out.append("| ").append(time(w.startedAt())).append(" | ").append(w.phase() == null ? "" : w.phase()).append(" | ")
            .append(esc(w.what())).append(" | ").append(w.outcome()).append(" | ").append(between(w.startedAt(), w.endedAt())).append(" |\n");
      }
    }

    if (!r.presyncRounds().isEmpty()) {
      out.append("\n## Presync rounds\n\n| Round | Started (UTC) | Took | Changed | Sent | Files | rsync time |\n|---|---|---|---|---|---|---|\n");
      for (PresyncRoundReport p : r.presyncRounds()) {
        out.append("| ").append(p.round()).append(" | ").append(time(p.startedAt())).append(" | ").append(between(p.startedAt(), p.endedAt()))
            .append(" | ").append(p.changedFiles() == null ? "-" : String.format(Locale.ROOT, "%,d", p.changedFiles()))
            .append(" | ").append(p.bytesSent() == null ? "-" : ReportText.bytes(p.bytesSent()))
            .append(" | ").append(p.filesTransferred() == null ? "-" : String.format(Locale.ROOT, "%,d", p.filesTransferred()))
            .append(" | ").append(p.syncMillis() == null ? "-" : duration(Duration.ofMillis(p.syncMillis()))).append(" |\n");
      }
    }

    if (!r.children().isEmpty()) {
      out.append("\n## Child workflows\n\n");
      r.children().forEach(c -> out.append("- `").append(c.workflowId()).append("` (").append(c.type()).append("): ").append(c.outcome())
          .append(", ").append(time(c.startedAt())).append(c.endedAt() == null ? "" : " to " + time(c.endedAt())).append('\n'));
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

  /** Text from the history must not break a table or turn into markup. */
  static String esc(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_")
        .replace("`", "\\`");
  }
}
