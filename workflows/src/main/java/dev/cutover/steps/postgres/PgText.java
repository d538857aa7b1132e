package dev.cutover.steps.postgres;

import dev.cutover.steps.ByteText;
import java.util.Locale;

/** Figures as step summaries show them. */
final class PgText {
  private PgText() {}

  static String bytes(long bytes) {
    return ByteText.of(bytes);
  }

  static String millis(long millis) {
    return millis < 10_000
        ? String.format(Locale.ROOT, "%.1fs", millis / 1000.0)
        : (millis / 1000) + "s";
  }
}
