package dev.cutover.secrets;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Every secret value this process has resolved, for the worker's log: a line any logger writes (the
 * SDK, HttpClient's wire log, sshj, a log call someone forgot to mask) is masked with them.
 * Process-wide because logback's converters are created by logback, not by the application. Bounded
 * to the newest {@link #MAX_VALUES} values; the values never leave it but through {@link #mask()},
 * whose text is only used to replace them.
 */
public final class ResolvedSecrets {
  /** Far more than a plan's secrets; a worker serving many plans keeps the ones in use lately. */
  public static final int MAX_VALUES = 256;

  private static final Set<String> VALUES = new LinkedHashSet<>();

  /** Rebuilt only when a new value arrives (about 5 ms); read on every log line. */
  private static volatile SecretMask current = SecretMask.NONE;

  private ResolvedSecrets() {}

  /** Notes a value resolved in this process; a known value only becomes the newest again. */
  public static void record(String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    synchronized (VALUES) {
      if (VALUES.remove(value)) {
        VALUES.add(value);
        return;
      }
      VALUES.add(value);
      if (VALUES.size() > MAX_VALUES) {
        var eldest = VALUES.iterator();
        eldest.next();
        eldest.remove();
      }
      current = SecretMask.uncached(VALUES);
    }
  }

  /** A mask for every value recorded so far; {@link SecretMask#NONE} (empty) before the first. */
  public static SecretMask mask() {
    return current;
  }

  /** How many values are kept, for tests of the bound. */
  static int size() {
    synchronized (VALUES) {
      return VALUES.size();
    }
  }

  /** Forgets every value: for tests only, which share the process. */
  static void clear() {
    synchronized (VALUES) {
      VALUES.clear();
      current = SecretMask.NONE;
    }
  }
}
