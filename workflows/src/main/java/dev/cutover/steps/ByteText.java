package dev.cutover.steps;

import java.util.Locale;

/**
 * Sizes as people read them, the same in step summaries, status hints, progress and reports, so a
 * figure in one can be found in the other.
 */
public final class ByteText {
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

  private ByteText() {}

  /** {@code 512 B}, {@code 1.5 KiB}, ... up to TiB, with one decimal. */
  public static String of(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < UNITS.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
  }
}
