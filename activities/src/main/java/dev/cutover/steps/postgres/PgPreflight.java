package dev.cutover.steps.postgres;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.preflight.PreflightDatabase;
import dev.cutover.preflight.PreflightDbCopy;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Preflight of the plan's databases: each can be logged in to and exists; one a replication
 * publishes from or subscribes on meets what logical replication needs; for each dump/restore copy,
 * the tools host has pg_dump and pg_restore new enough for the source, reaches the source with
 * them, and the target is not older than the source. Reads only. Every problem is a line of its own
 * that says what to do.
 */
public class PgPreflight {
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A table pattern no database has: pg_dump logs in, reads the catalog, and finds nothing to dump.
   */
  static final String NO_TABLE = "cutover_preflight_no_such_table";

  private final PgSessions sessions;

  public PgPreflight(PgSessions sessions) {
    this.sessions = sessions;
  }

  /**
   * Checks each database and copy, giving each result to {@code out}; {@code watch} beats while
   * tools run.
   */
  public void check(
      List<PreflightDatabase> databases,
      List<PreflightDbCopy> copies,
      Consumer<PreflightCheck> out,
      ExecWatch watch) {
    Map<String, PgVersion> versions = new HashMap<>();
    Runnable beat = () -> watch.beat(0, "");
    for (PreflightDatabase db : databases) {
      PgVersion version = database(db, out, beat);
      if (version != null) {
        versions.put(db.name(), version);
      }
      beat.run();
    }
    for (PreflightDbCopy copy : copies) {
      copy(copy, versions, out, watch);
      beat.run();
    }
  }

  /**
   * Logs in and runs the replication checks; returns the server's version, or null when it could
   * not log in.
   */
  private PgVersion database(PreflightDatabase db, Consumer<PreflightCheck> out, Runnable beat) {
    String host = db.endpoint().hostName();
    String check = "database " + db.name();
    try (PgSession s = sessions.open(db.name(), db.endpoint(), beat)) {
      String version = s.serverVersion();
      PgVersion major = PgVersion.ofServer(s.serverVersionNum());
      out.accept(
          new PreflightCheck(
              host,
              check,
              true,
              "PostgreSQL "
                  + version
                  + ", "
                  + db.endpoint().database()
                  + " as "
                  + db.endpoint().user()));
      if (db.publishes()) {
        lines(
            host,
            "publish from " + db.name(),
            PgReplicationChecks.publisher(s, db.tables(), true, true),
            out,
            "wal_level logical, the role may replicate, every "
                + (db.tables().isEmpty() ? "" : "listed ")
                + "table has a replica identity");
      }
      if (db.subscribes()) {
        lines(
            host,
            "subscribe on " + db.name(),
            PgReplicationChecks.subscriber(s),
            out,
            "the role may create subscriptions");
      }
      return major;
    } catch (ApplicationFailure f) {
      out.accept(
          new PreflightCheck(
              host, check, false, PreflightCheck.typed(f) + advice(f.getType(), db.endpoint())));
      return null;
    }
  }

  private void copy(
      PreflightDbCopy copy,
      Map<String, PgVersion> versions,
      Consumer<PreflightCheck> out,
      ExecWatch watch) {
    String toolsHost = copy.toolsHost() == null ? PgCopier.WORKER : copy.toolsHost();
    PgVersion source = versions.get(copy.sourceName());
    PgVersion target = versions.get(copy.targetName());
    if (source != null && target != null) {
      boolean ok = !target.olderThan(source);
      out.accept(
          new PreflightCheck(
              copy.target().hostName(),
              "versions for " + copy.step(),
              ok,
              ok
                  ? copy.sourceName() + " runs " + source + ", " + copy.targetName() + " " + target
                  : copy.targetName()
                      + " runs PostgreSQL "
                      + target
                      + ", older than "
                      + copy.sourceName()
                      + "'s "
                      + source
                      + ": a dump restores only into the same or a newer version; use a target of version "
                      + source
                      + " or newer"));
    }
    HostShell shell;
    PgToolsProbe tools;
    try {
      shell =
          copy.toolsHost() == null
              ? sessions.shells().shell(PgCopier.WORKER, null)
              : sessions.shells().shell(copy.toolsHost(), copy.toolsHostDefinition());
      tools = PgCopier.probe(shell, watch);
    } catch (ApplicationFailure f) {
      out.accept(
          new PreflightCheck(
              toolsHost,
              "pg_dump and pg_restore for " + copy.step(),
              false,
              PreflightCheck.typed(f)));
      return;
    }
    List<String> problems = tools.problems(toolsHost, source);
    lines(
        toolsHost,
        "pg_dump and pg_restore for " + copy.step(),
        problems,
        out,
        "pg_dump "
            + tools.versionText(PgToolsProbe.PG_DUMP)
            + ", pg_restore "
            + tools.versionText(PgToolsProbe.PG_RESTORE));
    if (tools.has(PgToolsProbe.PG_DUMP)) {
      reach(copy, toolsHost, shell, out, watch);
    }
  }

  /**
   * pg_dump from the tools host logs in to the source as the copy will: address, pg_hba, password,
   * version.
   */
  private void reach(
      PreflightDbCopy copy,
      String toolsHost,
      HostShell shell,
      Consumer<PreflightCheck> out,
      ExecWatch watch) {
    String check = "reach " + copy.sourceName() + " from " + toolsHost;
    String password;
    try {
      password = sessions.password(copy.sourceName(), copy.source());
    } catch (ApplicationFailure f) {
      out.accept(new PreflightCheck(toolsHost, check, false, PreflightCheck.typed(f)));
      return;
    }
    String conninfo = PgConnInfo.forTools(copy.source(), copy.toolsHost(), password != null);
    Map<String, String> env = new HashMap<>();
    env.put("LC_MESSAGES", "C");
    if (password != null) {
      env.put(PgCopyScript.SOURCE_PASSWORD, password);
    }
    String script =
        (password == null ? "" : "PGPASSWORD=\"$" + PgCopyScript.SOURCE_PASSWORD + "\" ")
            + "pg_dump --schema-only -t "
            + NO_TABLE
            + " -d "
            + dev.cutover.hosts.Sh.quote(conninfo)
            + " >/dev/null";
    ShellResult result =
        shell.exec(
            new ShellCommand(
                script,
                env,
                password == null ? List.of() : List.of(password),
                null,
                false,
                null,
                CHECK_TIMEOUT),
            watch);
    String error =
        result
            .outputTail()
            .lines()
            .filter(l -> l.startsWith("pg_dump: error: "))
            .findFirst()
            .orElse(result.lastLine());
    // No table matches on purpose: that error comes only after logging in and reading the catalog.
    boolean ok = result.ok() || error.contains("no matching tables were found");
    if (ok) {
      out.accept(
          new PreflightCheck(
              toolsHost,
              check,
              true,
              "pg_dump logs in to "
                  + copy.source().describe(copy.sourceName())
                  + " at "
                  + PgConnInfo.address(copy.source())
                  + ":"
                  + copy.source().portOrDefault()));
      return;
    }
    ApplicationFailure f =
        PgToolFailures.of(
            "pg_dump on host " + toolsHost + " to " + copy.source().describe(copy.sourceName()),
            error.startsWith("pg_dump: ") ? error.substring("pg_dump: ".length()) : error,
            null);
    out.accept(new PreflightCheck(toolsHost, check, false, PreflightCheck.typed(f)));
  }

  private static void lines(
      String host,
      String check,
      List<String> problems,
      Consumer<PreflightCheck> out,
      String okDetail) {
    if (problems.isEmpty()) {
      out.accept(new PreflightCheck(host, check, true, okDetail));
    }
    problems.forEach(p -> out.accept(new PreflightCheck(host, check, false, p)));
  }

  /** What to do about a database that could not be logged in to. */
  private static String advice(String type, PgEndpoint e) {
    if (CutoverErrors.DB_AUTH_FAILED.equals(type)) {
      return "; check the role "
          + e.user()
          + ", its password secret"
          + (e.passwordSecret() == null ? "" : " (" + e.passwordSecret() + ")")
          + " and the server's pg_hba.conf";
    }
    if (CutoverErrors.DB_MISSING.equals(type)) {
      return "; create the database (createdb " + e.database() + ") or fix its name in the plan";
    }
    if (CutoverErrors.DB_UNREACHABLE.equals(type)) {
      return "; start the server, or fix the address and port ("
          + PgConnInfo.address(e)
          + ":"
          + e.portOrDefault()
          + ")";
    }
    return "";
  }
}
