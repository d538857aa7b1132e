package dev.cutover.cli;

import dev.cutover.plan.load.DurationText;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Steps on a time axis from the first step's start, with the downtime window marked. */
final class Timeline {
  private static final int WIDTH = 40;

  private Timeline() {}

  static String render(MigrationStatus status) {
    Instant start =
        status.steps().stream()
            .map(StepStatus::startedAt)
            .filter(t -> t != null)
            .min(Instant::compareTo)
            .orElse(null);
    Instant end =
        status.steps().stream()
            .map(StepStatus::endedAt)
            .filter(t -> t != null)
            .max(Instant::compareTo)
            .orElse(null);
    StringBuilder out = new StringBuilder("Timeline (last round of repeated steps)\n");
    if (start == null || end == null) {
      return out.append("  no step ran\n").toString();
    }
    double total = Math.max(1, Duration.between(start, end).toMillis());
    out.append(
        String.format(
            "  %-9s %-20s %-9s %9s %8s  %s%n",
            "PHASE", "STEP", "STATE", "AT", "TOOK", "|" + "-".repeat(WIDTH) + "|"));
    for (StepStatus s : status.steps()) {
      if (s.startedAt() == null) {
        out.append(
            String.format(
                "  %-9s %-20s %-9s%n",
                s.phase(), s.name(), s.state().name().toLowerCase(Locale.ROOT)));
        continue;
      }
      Instant stop = s.endedAt() != null ? s.endedAt() : s.startedAt();
      int from =
          Math.min(
              WIDTH - 1,
              (int) Math.round(Duration.between(start, s.startedAt()).toMillis() / total * WIDTH));
      int to =
          Math.max(
              from + 1, (int) Math.round(Duration.between(start, stop).toMillis() / total * WIDTH));
      String bar =
          " ".repeat(Math.min(from, WIDTH))
              + "#".repeat(Math.max(0, Math.min(to, WIDTH) - Math.min(from, WIDTH)));
      out.append(
          String.format(
              "  %-9s %-20s %-9s %9s %8s  |%-" + WIDTH + "s|%n",
              s.phase(),
              s.name(),
              s.state().name().toLowerCase(Locale.ROOT),
              "+" + DurationText.format(Duration.between(start, s.startedAt())),
              DurationText.format(Duration.between(s.startedAt(), stop)),
              bar));
    }
    var d = status.downtime();
    if (d != null && d.startedAt() != null) {
      out.append(
          String.format(
              "  downtime: from +%s to +%s = %s%n",
              DurationText.format(Duration.between(start, d.startedAt())),
              d.endedAt() == null ? "?" : DurationText.format(Duration.between(start, d.endedAt())),
              DurationText.format(d.measured())));
    }
    return out.toString();
  }
}
