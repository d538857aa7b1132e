package dev.cutover.cli.report;

import dev.cutover.plan.load.DurationText;
import dev.cutover.steps.ByteText;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times, durations and sizes as every report format writes them: times in UTC, so reports compare.
 */
public final class ReportText {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private ReportText() {}

  /** {@code 2026-11-21 21:52:10} (UTC), or empty. */
  public static String time(Instant at) {
    return at == null ? "" : TIME.format(at);
  }

  /** The time of day, for times on the same day as a nearby full time. */
  public static String clock(Instant at) {
    return at == null ? "" : CLOCK.format(at);
  }

  /** Whole seconds as {@code 1h2m3s}; under a second as milliseconds. */
  public static String duration(Duration d) {
    if (d == null) {
      return "";
    }
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    return DurationText.format(d.truncatedTo(ChronoUnit.SECONDS));
  }

  public static String between(Instant from, Instant to) {
    return from == null || to == null ? "" : duration(Duration.between(from, to));
  }

  public static String bytes(long n) {
    return ByteText.of(n);
  }

  /** The last {@code n} lines of a command's output. */
  public static java.util.List<String> lastLines(String text, int n) {
    if (text == null || text.isBlank()) {
      return java.util.List.of();
    }
    String[] lines = text.stripTrailing().split("\n");
    return java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - n), lines.length);
  }

  /** Who acted: the payload's {@code by} and Temporal's identity, once if they agree. */
  public static String who(String by, String identity) {
    if (by == null && identity == null) {
      return "unknown";
    }
    if (by == null || by.equals(identity)) {
      return identity;
    }
    if (identity == null) {
      return by;
    }
    return by + " (Temporal identity " + identity + ")";
  }
}
