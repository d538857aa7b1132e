package dev.cutover.cli.report;

import dev.cutover.plan.load.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Writes a {@link FleetReport} in the formats {@code cutover report} writes: text, Markdown, one
 * self-contained HTML file with the services as lanes on one time axis, and JSON. Whatever the
 * histories hold is escaped for the format, as the migration report does.
 */
public final class FleetReportRenderer {
  private FleetReportRenderer() {}

  public static String render(ReportFormat format, FleetReport r) {
    return switch (format) {
      case TEXT -> text(r);
      case MD -> markdown(r);
      case HTML -> html(r);
      case JSON -> json(r);
    };
  }

  /** "2m3s; the services' windows add up to 5m; the longest is 2m3s (finance)". */
  static String summary(
      Duration window, Duration sum, Duration longest, String longestService, boolean open) {
    if (sum == null) {
      return "no service has gone down";
    }
    return (window == null ? (open ? "still open" : "-") : DurationText.format(window))
        + "; the services' windows add up to "
        + DurationText.format(sum)
        + (longest == null
            ? ""
            : "; the longest is " + DurationText.format(longest) + " (" + longestService + ")");
  }

  static String text(FleetReport r) {
    StringBuilder out = new StringBuilder();
    out.append("Fleet report: ")
        .append(TerminalText.line(r.fleet()))
        .append("  (")
        .append(TerminalText.line(r.workflowId()))
        .append(")\n");
    if (r.description() != null && !r.description().isBlank()) {
      out.append("  ").append(TerminalText.line(r.description().strip())).append('\n');
    }
    out.append("Outcome:   ").append(TerminalText.line(r.outcome())).append('\n');
    out.append("Downtime:  ")
        .append(summary(r.window(), r.sumOfServices(), r.longest(), r.longestService(), true))
        .append('\n');
    for (FleetWaveWindow w : r.waves()) {
      out.append("\nWave ")
          .append(TerminalText.line(w.name()))
          .append(": window ")
          .append(summary(w.window(), w.sumOfServices(), w.longest(), w.longestService(), true));
      if (w.startedAt() != null) {
        out.append("\n  from ").append(w.startedAt()).append(" to ").append(at(w.endedAt()));
      }
      out.append('\n');
      out.append(
          String.format(
              "  %-24s %-12s %-26s %-26s %-10s %s%n",
              "SERVICE", "OUTCOME", "DOWN AT", "UP AT", "WINDOW", "NOTE"));
      for (FleetServiceWindow s : servicesOf(r, w)) {
        out.append(
            String.format(
                        "  %-24s %-12s %-26s %-26s %-10s %s",
                        TerminalText.line(s.name()),
                        TerminalText.line(s.outcome()),
                        at(s.startedAt()),
                        at(s.endedAt()),
                        DurationText.format(s.downtime()),
                        TerminalText.line(s.note()))
                    .stripTrailing()
                + "\n");
      }
    }
    notes(out, r.notes(), "\nNotes:\n", "  - ", TerminalText::line);
    if (!r.services().isEmpty()) {
      out.append("\nA service's own report (steps, gates, decisions): cutover report ")
          .append(TerminalText.line(r.services().get(0).workflowId()))
          .append('\n');
    }
    return out.toString();
  }

  static String markdown(FleetReport r) {
    StringBuilder out = new StringBuilder();
    out.append("# Fleet report: ").append(MarkdownReport.esc(r.fleet())).append("\n\n");
    if (r.description() != null && !r.description().isBlank()) {
      out.append(MarkdownReport.esc(r.description().strip())).append("\n\n");
    }
    out.append("| | |\n|---|---|\n");
    out.append("| Workflow | ").append(MarkdownReport.esc(r.workflowId())).append(" |\n");
    out.append("| Outcome | ").append(MarkdownReport.esc(r.outcome())).append(" |\n");
    out.append("| Downtime | ")
        .append(
            MarkdownReport.esc(
                summary(r.window(), r.sumOfServices(), r.longest(), r.longestService(), true)))
        .append(" |\n");
    for (FleetWaveWindow w : r.waves()) {
      out.append("\n## Wave ").append(MarkdownReport.esc(w.name())).append("\n\n");
      out.append("Window: ")
          .append(
              MarkdownReport.esc(
                  summary(w.window(), w.sumOfServices(), w.longest(), w.longestService(), true)))
          .append("\n\n");
      out.append("| Service | Outcome | Down at | Up at | Window | Note |\n");
      out.append("|---|---|---|---|---|---|\n");
      for (FleetServiceWindow s : servicesOf(r, w)) {
        out.append("| ")
            .append(MarkdownReport.esc(s.name()))
            .append(" | ")
            .append(MarkdownReport.esc(s.outcome()))
            .append(" | ")
            .append(at(s.startedAt()))
            .append(" | ")
            .append(at(s.endedAt()))
            .append(" | ")
            .append(DurationText.format(s.downtime()))
            .append(" | ")
            .append(MarkdownReport.esc(s.note()))
            .append(" |\n");
      }
    }
    notes(out, r.notes(), "\n## Notes\n\n", "- ", MarkdownReport::esc);
    return out.toString();
  }

  static String html(FleetReport r) {
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Fleet report: ")
        .append(HtmlReport.esc(r.fleet()))
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:70em}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}")
        .append(".lane{position:relative;height:1.1em;background:#f3f3f3;min-width:20em}")
        .append(".bar{position:absolute;top:0;bottom:0;background:#c0392b}")
        .append("</style></head><body>\n");
    out.append("<h1>Fleet report: ").append(HtmlReport.esc(r.fleet())).append("</h1>\n");
    if (r.description() != null && !r.description().isBlank()) {
      out.append("<p>").append(HtmlReport.esc(r.description().strip())).append("</p>\n");
    }
    out.append("<p>Workflow <code>")
        .append(HtmlReport.esc(r.workflowId()))
        .append("</code>, outcome <b>")
        .append(HtmlReport.esc(r.outcome()))
        .append("</b>.<br>Downtime: ")
        .append(
            HtmlReport.esc(
                summary(r.window(), r.sumOfServices(), r.longest(), r.longestService(), true)))
        .append("</p>\n");
    // One time axis for the whole fleet, so lanes of different waves line up.
    Instant from = null;
    Instant to = null;
    for (FleetServiceWindow s : r.services()) {
      if (s.startedAt() != null) {
        from = from == null || s.startedAt().isBefore(from) ? s.startedAt() : from;
        Instant end = s.endedAt() == null ? s.startedAt() : s.endedAt();
        to = to == null || end.isAfter(to) ? end : to;
      }
    }
    double total = from == null ? 0 : Math.max(1, Duration.between(from, to).toMillis());
    for (FleetWaveWindow w : r.waves()) {
      out.append("<h2>Wave ").append(HtmlReport.esc(w.name())).append("</h2>\n<p>Window: ");
      out.append(
              HtmlReport.esc(
                  summary(w.window(), w.sumOfServices(), w.longest(), w.longestService(), true)))
          .append("</p>\n");
      out.append(
          "<table><tr><th>Service</th><th>Outcome</th><th>Down at</th><th>Up at</th>"
              + "<th>Window</th><th>Downtime lane</th><th>Note</th></tr>\n");
      for (FleetServiceWindow s : servicesOf(r, w)) {
        out.append("<tr><td>")
            .append(HtmlReport.esc(s.name()))
            .append("</td><td>")
            .append(HtmlReport.esc(s.outcome()))
            .append("</td><td>")
            .append(at(s.startedAt()))
            .append("</td><td>")
            .append(at(s.endedAt()))
            .append("</td><td>")
            .append(DurationText.format(s.downtime()))
            .append("</td><td><div class=\"lane\">");
        if (s.startedAt() != null && from != null) {
          Instant end = s.endedAt() == null ? to : s.endedAt();
          double left = 100 * Duration.between(from, s.startedAt()).toMillis() / total;
          double width =
              Math.max(0.5, 100 * Duration.between(s.startedAt(), end).toMillis() / total);
          out.append(
              String.format(
                  java.util.Locale.ROOT,
                  "<div class=\"bar\" style=\"left:%.2f%%;width:%.2f%%\"></div>",
                  left,
                  Math.min(width, 100 - left)));
        }
        out.append("</div></td><td>").append(HtmlReport.esc(s.note())).append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    if (!r.notes().isEmpty()) {
      out.append("<h2>Notes</h2>\n<ul>\n");
      for (String n : r.notes()) {
        out.append("<li>").append(HtmlReport.esc(n)).append("</li>\n");
      }
      out.append("</ul>\n");
    }
    out.append("</body></html>\n");
    return out.toString();
  }

  static String json(FleetReport r) {
    try {
      return TerminalJson.MAPPER.writeValueAsString(r) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the fleet report as JSON", e);
    }
  }

  private static List<FleetServiceWindow> servicesOf(FleetReport r, FleetWaveWindow w) {
    return r.services().stream().filter(s -> w.services().contains(s.name())).toList();
  }

  private static String at(Instant t) {
    return t == null ? "-" : t.toString();
  }

  private static void notes(
      StringBuilder out,
      List<String> notes,
      String heading,
      String bullet,
      java.util.function.UnaryOperator<String> esc) {
    if (notes.isEmpty()) {
      return;
    }
    out.append(heading);
    for (String n : notes) {
      out.append(bullet).append(esc.apply(n)).append('\n');
    }
  }
}
