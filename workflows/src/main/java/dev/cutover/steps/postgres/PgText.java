package dev.cutover.steps.postgres;

import java.util.Locale;

/** Figures as step summaries show them. */
final class PgText {
  private PgText() {}

  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  static String millis(long millis) {
    return millis < 10_000 ? String.format(Locale.ROOT, "%.1fs", millis / 1000.0) : (millis / 1000) + "s";
  }
}
