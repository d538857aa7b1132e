package dev.cutover.steps.postgres;

import dev.cutover.hosts.Sh;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell script that copies a database with pg_dump and pg_restore on one machine (the tools
 * host). Passwords come from the environment ({@link #SOURCE_PASSWORD}, {@link #TARGET_PASSWORD}),
 * each tool getting only its own server's as PGPASSWORD, so no secret is on a command line.
 *
 * <p>With one job the dump streams through {@code dd} (which counts the bytes) into one {@code
 * pg_restore --single-transaction}: the restore is atomic, so a failed or retried copy never leaves
 * half a database, and nothing is written to disk. With more jobs pg_dump writes a directory
 * archive into a temporary directory that parallel pg_restore reads; that directory is removed when
 * the script ends, and a retry first removes what a killed attempt left (a kill skips the trap).
 *
 * <p>The script reports on standard output with lines the copier parses: {@code cutover-exit TOOL
 * CODE} for each tool (a pipeline's exit code is only its last command's), {@code cutover-bytes N}
 * and {@code cutover-tables N} for the parallel copy.
 *
 * @param sourceConninfo libpq connection string to the source, from the tools host
 * @param sourcePassword whether {@link #SOURCE_PASSWORD} holds the source's password
 * @param targetConninfo libpq connection string to the target, from the tools host
 * @param targetPassword whether {@link #TARGET_PASSWORD} holds the target's password
 * @param dumpOptions further pg_dump arguments (unquoted words)
 * @param restoreOptions further pg_restore arguments (unquoted words)
 * @param jobs parallel jobs; 1 streams
 * @param ddProgress whether dd knows {@code status=progress} (GNU dd) for bytes while it runs
 * @param tempKey names this copy's temporary directories ({@code [A-Za-z0-9_-]} only)
 */
public record PgCopyScript(
    String sourceConninfo,
    boolean sourcePassword,
    String targetConninfo,
    boolean targetPassword,
    List<String> dumpOptions,
    List<String> restoreOptions,
    int jobs,
    boolean ddProgress,
    String tempKey) {

  public static final String SOURCE_PASSWORD = "CUTOVER_PG_SOURCE_PASSWORD";
  public static final String TARGET_PASSWORD = "CUTOVER_PG_TARGET_PASSWORD";
  static final String EXIT = "cutover-exit ";
  static final String BYTES = "cutover-bytes ";
  static final String TABLES = "cutover-tables ";

  public PgCopyScript {
    dumpOptions = List.copyOf(dumpOptions);
    restoreOptions = List.copyOf(restoreOptions);
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1");
    }
    if (!tempKey.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("temporary key must be a plain word");
    }
  }

  /** pg_dump arguments for a copy of some schemas, without some tables. */
  public static List<String> dumpOptions(List<String> schemas, List<String> excludeTables) {
    List<String> out = new ArrayList<>();
    schemas.forEach(s -> out.addAll(List.of("-n", s)));
    excludeTables.forEach(t -> out.addAll(List.of("-T", t)));
    return out;
  }

  /**
   * pg_dump arguments for the schema a replication needs: every table's, or exactly the listed
   * tables' ({@code schema.table}, matched literally: each part in double quotes).
   */
  public static List<String> schemaOnlyOptions(List<String> tables) {
    List<String> out = new ArrayList<>(List.of("--schema-only"));
    for (String table : tables) {
      int dot = table.indexOf('.');
      String pattern =
          dot < 0
              ? literalPattern(table)
              : literalPattern(table.substring(0, dot))
                  + "."
                  + literalPattern(table.substring(dot + 1));
      out.addAll(List.of("-t", pattern));
    }
    return out;
  }

  /** pg_restore arguments for ownership, grants and the role the restore runs as. */
  public static List<String> restoreOptions(boolean noOwner, boolean noPrivileges, String role) {
    List<String> out = new ArrayList<>();
    if (noOwner) {
      out.add("--no-owner");
    }
    if (noPrivileges) {
      out.add("--no-privileges");
    }
    if (role != null && !role.isBlank()) {
      out.add("--role=" + role);
    }
    return out;
  }

  public String script() {
    return jobs == 1 ? streamed() : parallel();
  }

  private String streamed() {
    return "exec 3>&1\n"
        + "{ "
        + password(sourcePassword, SOURCE_PASSWORD)
        + "pg_dump -Fc -Z0"
        + words(dumpOptions)
        + " -d "
        + Sh.quote(sourceConninfo)
        + " 3>&-; echo \""
        + EXIT
        + "pg_dump $?\" >&3; } \\\n"
        + "  | { dd bs=1M"
        + (ddProgress ? " status=progress" : "")
        + " 3>&-; echo \""
        + EXIT
        + "dd $?\" >&3; } \\\n"
        + "  | { "
        + password(targetPassword, TARGET_PASSWORD)
        + "pg_restore --verbose --clean --if-exists --single-transaction --exit-on-error"
        + words(restoreOptions)
        + " -d "
        + Sh.quote(targetConninfo)
        + " 3>&-; echo \""
        + EXIT
        + "pg_restore $?\" >&3; }\n";
  }

  private String parallel() {
    String prefix = "cutover-pgcopy-" + tempKey;
    return "base=\"${TMPDIR:-/tmp}\"\n"
        + "rm -rf -- \"$base\"/"
        + prefix
        + ".*\n"
        + "d=$(mktemp -d \"$base/"
        + prefix
        + ".XXXXXX\") || { echo \"cutover: cannot create a temporary directory in $base\" >&2; exit 1; }\n"
        + "trap 'rm -rf -- \"$d\"' EXIT\n"
        + "trap 'exit 143' HUP INT TERM\n"
        + password(sourcePassword, SOURCE_PASSWORD)
        + "pg_dump -Fd -j "
        + jobs
        + " --verbose"
        + words(dumpOptions)
        + " -f \"$d/dump\" -d "
        + Sh.quote(sourceConninfo)
        + "\n"
        + "rc=$?; echo \""
        + EXIT
        + "pg_dump $rc\"; [ \"$rc\" -eq 0 ] || exit \"$rc\"\n"
        + "b=$(du -sb -- \"$d/dump\" 2>/dev/null | cut -f1)\n"
        + "[ -n \"$b\" ] || b=$(( $(du -sk -- \"$d/dump\" | cut -f1) * 1024 ))\n"
        + "echo \""
        + BYTES
        + "$b\"\n"
        + "echo \""
        + TABLES
        + "$(pg_restore -l \"$d/dump\" | grep -c ' TABLE DATA ')\"\n"
        + password(targetPassword, TARGET_PASSWORD)
        + "pg_restore -j "
        + jobs
        + " --verbose --clean --if-exists --exit-on-error"
        + words(restoreOptions)
        + " -d "
        + Sh.quote(targetConninfo)
        + " \"$d/dump\"\n"
        + "rc=$?; echo \""
        + EXIT
        + "pg_restore $rc\"; exit \"$rc\"\n";
  }

  private static String password(boolean present, String variable) {
    return present ? "PGPASSWORD=\"$" + variable + "\" " : "";
  }

  private static String words(List<String> options) {
    StringBuilder out = new StringBuilder();
    options.forEach(o -> out.append(' ').append(Sh.quote(o)));
    return out.toString();
  }

  /**
   * A name as a pg_dump pattern matching only itself: double quotes turn off wildcards and case
   * folding.
   */
  private static String literalPattern(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
