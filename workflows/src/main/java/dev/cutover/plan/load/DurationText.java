package dev.cutover.plan.load;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 90s}, {@code 15m}, {@code 1h30m}, {@code 2d}, or
 * ISO-8601.
 */
public final class DurationText {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
  private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h|d|w))+");

  private DurationText() {}

  /** Parses a duration, or returns null when the text is not one. */
  public static Duration parse(String text) {
    String t = text.trim();
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase());
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    if (!WHOLE.matcher(t).matches()) {
      return null;
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(t);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  case "d" -> Duration.ofDays(n);
                  default -> Duration.ofDays(Math.multiplyExact(7, n));
                });
      }
    } catch (NumberFormatException | ArithmeticException tooLong) {
      // more than a Duration can hold: no plan means that, so it is a bad duration
      return null;
    }
    return total;
  }

  /**
   * Formats a duration the way plans write them, e.g. {@code 2d3h}, {@code 15m}, {@code 1s500ms};
   * parse reads it back.
   */
  public static String format(Duration d) {
    if (d == null) {
      return "-";
    }
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (d.isNegative()) {
      sb.append('-');
      d = d.negated();
    }
    long days = d.toDays();
    int hours = d.toHoursPart();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    int millis = d.toMillisPart();
    if (days > 0) sb.append(days).append('d');
    if (hours > 0) sb.append(hours).append('h');
    if (minutes > 0) sb.append(minutes).append('m');
    if (seconds > 0) sb.append(seconds).append('s');
    if (millis > 0) sb.append(millis).append("ms");
    return sb.toString();
  }
}
