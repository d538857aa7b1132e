package dev.cutover.steps.postgres;

/** A WAL position as PostgreSQL prints it ({@code 16/B374D848}), comparable as a number. */
public final class PgLsn {
  private PgLsn() {}

  /** The position as one unsigned 64-bit number; {@code null} and empty are 0. */
  public static long parse(String lsn) {
    if (lsn == null || lsn.isBlank()) {
      return 0;
    }
    int slash = lsn.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a WAL position: " + lsn);
    }
    return (Long.parseLong(lsn.substring(0, slash).trim(), 16) << 32)
        | Long.parseLong(lsn.substring(slash + 1).trim(), 16);
  }

  /** Whether {@code lsn} is at or past {@code target}. */
  public static boolean reached(String lsn, String target) {
    return Long.compareUnsigned(parse(lsn), parse(target)) >= 0;
  }
}
