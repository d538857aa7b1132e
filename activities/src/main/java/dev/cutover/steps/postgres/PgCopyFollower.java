package dev.cutover.steps.postgres;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a running {@link PgCopyScript}'s output, line by line: dd's byte counts, pg_restore's
 * verbose lines (the table being restored, how many are done), the tools' exit codes and their
 * first error lines. Lines arrive on the shell's reader threads while the heartbeat reads the
 * progress on another: every access is synchronized.
 */
final class PgCopyFollower {
  private static final Pattern DD_BYTES = Pattern.compile("^(\\d+) bytes\\b.*copied");
  private static final Pattern TABLE_DATA = Pattern.compile("processing data for table \"(.*)\"");
  private static final String RESTORE = "pg_restore: ";

  private long bytes;
  private int tablesDone;
  private Integer tablesInArchive;
  private String current = "";
  private final Map<String, Integer> exits = new HashMap<>();
  private final Map<String, String> errors = new HashMap<>();

  synchronized void line(String raw) {
    String line = raw.strip();
    Matcher dd = DD_BYTES.matcher(line);
    if (dd.find()) {
      bytes = Math.max(bytes, Long.parseLong(dd.group(1)));
      return;
    }
    if (line.startsWith(PgCopyScript.EXIT)) {
      String[] parts = line.split(" ");
      if (parts.length == 3 && parts[2].matches("\\d+")) {
        exits.put(parts[1], Integer.parseInt(parts[2]));
      }
      return;
    }
    if (line.startsWith(PgCopyScript.BYTES)) {
      bytes = number(line.substring(PgCopyScript.BYTES.length()), bytes);
      return;
    }
    if (line.startsWith(PgCopyScript.TABLES)) {
      tablesInArchive = (int) number(line.substring(PgCopyScript.TABLES.length()), 0);
      return;
    }
    for (String tool : new String[] {"pg_dump", "pg_restore"}) {
      if (line.startsWith(tool + ": error: ")) {
        errors.putIfAbsent(tool, line.substring(tool.length() + 2));
        return;
      }
    }
    if (line.startsWith(RESTORE)) {
      String what = line.substring(RESTORE.length());
      Matcher data = TABLE_DATA.matcher(what);
      if (data.find()) {
        tablesDone++;
      }
      current = what;
    }
  }

  synchronized PgCopyProgress progress() {
    return new PgCopyProgress(bytes, tablesDone, current);
  }

  synchronized long bytes() {
    return bytes;
  }

  /**
   * Tables restored: the archive's count for a parallel copy (its workers' lines can interleave),
   * else pg_restore's "processing data" lines.
   */
  synchronized int tables() {
    return tablesInArchive != null ? tablesInArchive : tablesDone;
  }

  /** A tool's exit code; {@code null} when it did not report one (the script died first). */
  synchronized Integer exit(String tool) {
    return exits.get(tool);
  }

  /**
   * A tool's first error line without the tool's name, "error: connection to server ..."; or null.
   */
  synchronized String error(String tool) {
    return errors.get(tool);
  }

  private static long number(String text, long fallback) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
