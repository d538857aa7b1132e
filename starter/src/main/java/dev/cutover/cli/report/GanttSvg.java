package dev.cutover.cli.report;

import static dev.cutover.cli.report.HtmlReport.esc;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The Gantt chart of the HTML report as inline SVG: a row per phase, a row per step (or per branch
 * of a parallel group: its lane) with every execution on it, the downtime window shaded across all
 * rows. Needs no script and no fonts.
 */
final class GanttSvg {
  static final String SUCCEEDED = "#2e7d32";
  static final String FAILED = "#c62828";
  static final String UNDO = "#6a1b9a";
  static final String RUNNING = "#1565c0";
  static final String PHASE = "#37474f";
  static final String WAIT = "#b0bec5";
  static final String DOWNTIME = "#ffb74d";

  private static final int WIDTH = 1100;
  private static final int LABEL = 230;
  private static final int ROW = 18;
  private static final int TOP = 28;

  private GanttSvg() {}

  static String render(MigrationReport r) {
    Instant start = r.startedAt();
    Instant end = ReportSummary.lastTime(r);
    if (start == null || end == null) {
      return "";
    }
    long total = Math.max(1, Duration.between(start, end).toMillis());
    java.util.Map<String, java.util.List<StepReport>> rowsOf = rows(r);
    int rows = r.phases().size() + rowsOf.size() + 1;
    int height = TOP + rows * ROW + 10;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"gantt\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Gantt chart of phases and steps\">%n",
            WIDTH,
            height,
            WIDTH,
            height));
    svg.append("<rect x=\"0\" y=\"0\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" fill=\"#ffffff\"/>\n");
    // Axis: five ticks with the UTC time.
    for (int i = 0; i <= 4; i++) {
      int x = LABEL + (WIDTH - LABEL - 10) * i / 4;
      Instant at = start.plusMillis(total * i / 4);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e0e0e0\"/>%n",
              x,
              TOP - 6,
              x,
              height - 6));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"14\" font-size=\"10\" text-anchor=\"%s\" fill=\"#555\">%s</text>%n",
              x,
              i == 0 ? "start" : i == 4 ? "end" : "middle",
              esc(ReportText.time(at))));
    }
    var d = r.downtime();
    if (d != null) {
      int x1 = x(start, d.startedAt(), total);
      int x2 = Math.max(x1 + 3, x(start, d.endedAt() == null ? end : d.endedAt(), total));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"downtime\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.55\"><title>downtime %s</title></rect>%n",
              x1,
              TOP - 4,
              x2 - x1,
              height - TOP - 2,
              DOWNTIME,
              esc(d.measured() == null ? "" : ReportText.duration(d.measured()))));
    }
    int row = 0;
    for (PhaseSpan p : r.phases()) {
      int y = TOP + row++ * ROW;
      label(svg, y, "phase " + p.name(), true);
      bar(
          svg,
          start,
          total,
          p.startedAt(),
          p.endedAt() == null ? end : p.endedAt(),
          y,
          PHASE,
          p.name()
              + ": "
              + ReportText.time(p.startedAt())
              + ", "
              + ReportText.between(p.startedAt(), p.endedAt() == null ? end : p.endedAt()));
    }
    for (var entry : rowsOf.entrySet()) {
      int y = TOP + row++ * ROW;
      StepReport first = entry.getValue().get(0);
      label(
          svg,
          y,
          first.branch() == null
              ? first.name() + " (" + first.phase() + ")"
              : "  ‖ " + first.branch() + " (" + first.group() + ")",
          false);
      for (StepReport s : entry.getValue()) {
        bars(svg, start, end, total, y, s);
      }
    }
    int y = TOP + row * ROW + 4;
    legend(svg, y);
    svg.append("</svg>\n");
    return svg.toString();
  }

  /**
   * The chart's step rows in plan order: a row per step that ran, except that a parallel group's
   * branch is one row (a lane) holding its steps one after another, so the group's branches lie
   * side by side as they ran.
   */
  private static java.util.Map<String, java.util.List<StepReport>> rows(MigrationReport r) {
    java.util.Map<String, java.util.List<StepReport>> rows = new java.util.LinkedHashMap<>();
    for (StepReport s : r.steps()) {
      if (s.executions().isEmpty()) {
        continue;
      }
      String key = s.branch() == null ? "step\u0000" + s.name() : "lane\u0000" + s.lane();
      rows.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(s);
    }
    return rows;
  }

  private static void bars(
      StringBuilder svg, Instant start, Instant end, long total, int y, StepReport s) {
    for (StepExecution x : s.executions()) {
      Instant from = x.scheduledAt();
      Instant to = x.endedAt() != null ? x.endedAt() : end;
      String color =
          x.undo()
              ? UNDO
              : ReportSummary.failed(x)
                  ? FAILED
                  : x.outcome().equals("succeeded")
                      ? (x.activity().equals("timer") ? WAIT : SUCCEEDED)
                      : RUNNING;
      bar(svg, start, total, from, to, y, color, s.name() + ": " + ReportSummary.execution(x));
    }
  }

  private static void label(StringBuilder svg, int y, String text, boolean bold) {
    String shown = text.length() > 34 ? text.substring(0, 33) + "…" : text;
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"4\" y=\"%d\" font-size=\"11\"%s fill=\"#222\">%s</text>%n",
            y + 12,
            bold ? " font-weight=\"bold\"" : "",
            esc(shown)));
  }

  private static void bar(
      StringBuilder svg,
      Instant start,
      long total,
      Instant from,
      Instant to,
      int y,
      String color,
      String title) {
    int x1 = x(start, from, total);
    int x2 = Math.max(x1 + 4, x(start, to, total));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>%n",
            x1,
            y + 2,
            x2 - x1,
            ROW - 4,
            color,
            esc(title)));
  }

  private static void legend(StringBuilder svg, int y) {
    String[][] items = {
      {SUCCEEDED, "succeeded"},
      {FAILED, "failed"},
      {UNDO, "undo"},
      {RUNNING, "running"},
      {WAIT, "wait"},
      {PHASE, "phase"},
      {DOWNTIME, "downtime"}
    };
    int x = LABEL;
    for (String[] item : items) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
              x,
              y,
              item[0]));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#333\">%s</text>%n",
              x + 14,
              y + 9,
              item[1]));
      x += 100;
    }
  }

  private static int x(Instant start, Instant at, long total) {
    long ms = Math.max(0, Math.min(total, Duration.between(start, at).toMillis()));
    return LABEL + (int) ((WIDTH - LABEL - 10) * ms / total);
  }
}
