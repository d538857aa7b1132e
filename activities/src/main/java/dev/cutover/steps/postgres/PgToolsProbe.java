package dev.cutover.steps.postgres;

import java.util.HashMap;
import java.util.Map;

/**
 * What a tools host has: pg_dump and pg_restore (their version lines, or missing) and whether its
 * dd reports progress. One short script, so the copy and preflight can say exactly what is missing.
 *
 * @param versionLines each tool's {@code --version} line; a missing tool is absent
 * @param ddProgress whether dd knows {@code status=progress}
 */
record PgToolsProbe(Map<String, String> versionLines, boolean ddProgress) {
  static final String PG_DUMP = "pg_dump";
  static final String PG_RESTORE = "pg_restore";

  /** Shell builtins only besides the tools themselves: a bare host may lack even head. */
  static final String SCRIPT =
      "for t in "
          + PG_DUMP
          + " "
          + PG_RESTORE
          + "; do\n"
          + "  if command -v \"$t\" >/dev/null 2>&1; then \"$t\" --version 2>&1 | { read -r v; echo \"tool $t $v\"; }; else echo \"tool $t missing\"; fi\n"
          + "done\n"
          + "if dd if=/dev/null of=/dev/null status=progress 2>/dev/null; then echo 'dd progress'; fi\n";

  PgToolsProbe {
    versionLines = Map.copyOf(versionLines);
  }

  static PgToolsProbe parse(String stdout) {
    Map<String, String> lines = new HashMap<>();
    boolean dd = false;
    for (String line : stdout.lines().toList()) {
      if (line.equals("dd progress")) {
        dd = true;
      }
      String[] parts = line.split(" ", 3);
      if (parts.length == 3 && parts[0].equals("tool") && !parts[2].equals("missing")) {
        lines.put(parts[1], parts[2]);
      }
    }
    return new PgToolsProbe(lines, dd);
  }

  boolean has(String tool) {
    return versionLines.containsKey(tool);
  }

  /** The tool's major version; {@code null} when missing or its line does not say. */
  PgVersion version(String tool) {
    return PgVersion.ofTool(versionLines.get(tool));
  }

  /** "15.8" from the tool's line, for messages. */
  String versionText(String tool) {
    String line = versionLines.get(tool);
    if (line == null) {
      return null;
    }
    int at = line.indexOf(')');
    return PgVersion.display(at < 0 ? line : line.substring(at + 1));
  }

  /**
   * What keeps these tools on {@code hostName} from copying a database of {@code source}'s version:
   * each problem says what to install. Empty when they can.
   */
  java.util.List<String> problems(String hostName, PgVersion source) {
    java.util.List<String> out = new java.util.ArrayList<>();
    String wanted =
        "install the PostgreSQL client tools"
            + (source == null ? "" : " " + source + " or newer")
            + " there (Debian/Ubuntu: postgresql-client"
            + (source == null ? "" : "-" + source)
            + ")";
    for (String tool : new String[] {PG_DUMP, PG_RESTORE}) {
      if (!has(tool)) {
        out.add(tool + " is not installed on host " + hostName + " (or not on PATH); " + wanted);
      }
    }
    PgVersion dump = version(PG_DUMP);
    if (dump != null && source != null && dump.olderThan(source)) {
      out.add(
          "pg_dump "
              + versionText(PG_DUMP)
              + " on host "
              + hostName
              + " is older than the source server ("
              + source
              + ") and refuses to dump it; "
              + wanted);
    }
    PgVersion restore = version(PG_RESTORE);
    if (dump != null && restore != null && restore.olderThan(dump)) {
      out.add(
          "pg_restore "
              + versionText(PG_RESTORE)
              + " on host "
              + hostName
              + " is older than its pg_dump "
              + versionText(PG_DUMP)
              + " and may not read its archives; install both from the same PostgreSQL version");
    }
    return out;
  }
}
