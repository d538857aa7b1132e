package dev.cutover.steps.postgres;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pg-copy}: pg_dump | pg_restore on one machine, the tools host ({@link
 * PgEndpoint#toolsHost}): the target's host when its tools are used, else the worker's machine.
 * Before anything is restored, both servers are asked their versions (a target older than the
 * source is refused) and the tools host is asked for its tools (missing or older than the source
 * server: refused, naming the host and what to install). The script itself is {@link PgCopyScript};
 * a retry restores clean ({@code --clean --if-exists}), atomically with one job.
 *
 * <p>Also copies the schema a logical replication needs, the same way ({@link #copySchema}).
 */
public class PgCopier {
  /** A database may take days to copy: Temporal's timeouts and heartbeats bound it, not this. */
  static final Duration COPY_TIMEOUT = Duration.ofDays(30);

  static final Duration PROBE_TIMEOUT = Duration.ofMinutes(1);

  /** The worker's own machine, in messages, when it runs the tools. */
  static final String WORKER = "worker";

  private final PgSessions sessions;
  private final HostShells shells;

  /** The tools run in the sessions' shells. */
  public PgCopier(PgSessions sessions) {
    this(sessions, sessions.shells());
  }

  /**
   * @param shells where pg_dump and pg_restore run (the tools host's shell comes from these)
   */
  public PgCopier(PgSessions sessions, HostShells shells) {
    this.sessions = sessions;
    this.shells = shells;
  }

  /**
   * Copies the database; {@code heartbeat} gets the progress and throws when Temporal cancels,
   * which stops the tools.
   */
  public PgCopyResult copy(PgCopyRequest r, Heartbeat<PgCopyProgress> heartbeat) {
    int jobs = r.jobs() == null ? 1 : r.jobs();
    if (jobs < 1) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + r.step() + ": jobs must be at least 1, not " + jobs,
          CutoverErrors.INVALID_CONFIG);
    }
    return ShellFailures.inStep(
        r.step(),
        () ->
            run(
                r.step(),
                r.source(),
                r.target(),
                PgCopyScript.dumpOptions(r.schemas(), r.excludeTables()),
                PgCopyScript.restoreOptions(r.noOwner(), r.noPrivileges(), r.role()),
                jobs,
                heartbeat));
  }

  /**
   * Copies the schema of {@code tables} (every table when empty) onto the target, replacing what is
   * there ({@code --clean --if-exists}), in one transaction: what a subscription needs before it
   * starts.
   */
  public PgCopyResult copySchema(
      String step,
      PgEndpoint source,
      PgEndpoint target,
      List<String> tables,
      Heartbeat<PgCopyProgress> heartbeat) {
    return ShellFailures.inStep(
        step,
        () ->
            run(
                step,
                source,
                target,
                PgCopyScript.schemaOnlyOptions(tables),
                List.of(),
                1,
                heartbeat));
  }

  /** Where the tools run: a plan host's name, or {@link #WORKER}. */
  static String toolsHostName(PgEndpoint source, PgEndpoint target) {
    String host = PgEndpoint.toolsHost(source, target);
    return host == null ? WORKER : host;
  }

  /** The shell of the tools host. */
  static HostShell toolsShell(HostShells shells, PgEndpoint source, PgEndpoint target) {
    String host = PgEndpoint.toolsHost(source, target);
    return host == null ? shells.shell(WORKER, null) : shells.shell(host, target.host());
  }

  /** What the tools host has: raises when the probe itself cannot run. */
  static PgToolsProbe probe(HostShell shell, ExecWatch watch) {
    ShellResult result =
        ShellFailures.check(
            "host " + shell.hostName() + ": looking for pg_dump and pg_restore",
            shell.exec(ShellCommand.of(PgToolsProbe.SCRIPT, PROBE_TIMEOUT), watch));
    return PgToolsProbe.parse(result.stdout());
  }

  private PgCopyResult run(
      String step,
      PgEndpoint source,
      PgEndpoint target,
      List<String> dumpOptions,
      List<String> restoreOptions,
      int jobs,
      Heartbeat<PgCopyProgress> heartbeat) {
    PgCopyFollower follower = new PgCopyFollower();
    Runnable beat = () -> heartbeat.beat(follower.progress());
    ExecWatch watch =
        new ExecWatch() {
          @Override
          public void line(String line) {
            follower.line(line);
          }

          @Override
          public void beat(long elapsedMillis, String lastLine) {
            beat.run();
          }
        };
    Versions versions = versions(source, target, beat);
    HostShell shell = toolsShell(shells, source, target);
    String toolsHost = toolsHostName(source, target);
    PgToolsProbe tools = probe(shell, watch);
    List<String> missing = tools.problems(toolsHost, versions.source());
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + step + ": " + String.join("; ", missing), CutoverErrors.MISSING_TOOL);
    }

    String sourcePassword = sessions.password(source);
    String targetPassword = sessions.password(target);
    String targetConninfo = PgConnInfo.forTools(target, toolsHost, targetPassword != null);
    PgCopyScript script =
        new PgCopyScript(
            PgConnInfo.forTools(source, toolsHost, sourcePassword != null),
            sourcePassword != null,
            targetConninfo,
            targetPassword != null,
            dumpOptions,
            restoreOptions,
            jobs,
            tools.ddProgress(),
            tempKey(step, targetConninfo));
    Map<String, String> env = new HashMap<>();
    List<String> mask = new ArrayList<>();
    if (sourcePassword != null) {
      env.put(PgCopyScript.SOURCE_PASSWORD, sourcePassword);
      mask.add(sourcePassword);
    }
    if (targetPassword != null) {
      env.put(PgCopyScript.TARGET_PASSWORD, targetPassword);
      mask.add(targetPassword);
    }
    // English messages from the tools, which PgToolFailures reads.
    env.put("LC_MESSAGES", "C");
    ShellResult result =
        shell.exec(
            new ShellCommand(script.script(), env, mask, null, false, null, COPY_TIMEOUT), watch);
    if (result.timedOut()) {
      throw ShellFailures.failure(
          "step " + step + " on host " + toolsHost + ": pg_dump | pg_restore", result);
    }
    boolean dumpOk = Integer.valueOf(0).equals(follower.exit(PgToolsProbe.PG_DUMP));
    boolean restoreOk = Integer.valueOf(0).equals(follower.exit(PgToolsProbe.PG_RESTORE));
    boolean ddOk = jobs > 1 || Integer.valueOf(0).equals(follower.exit("dd"));
    if (!(result.ok() && dumpOk && restoreOk && ddOk)) {
      throw failure(step, toolsHost, source, target, result, follower, dumpOk);
    }
    beat.run();
    return new PgCopyResult(
        follower.bytes(),
        follower.tables(),
        result.durationMillis(),
        versions.sourceText(),
        versions.targetText());
  }

  /** Both servers' versions; a target older than the source cannot take its dump. */
  private Versions versions(PgEndpoint source, PgEndpoint target, Runnable beat) {
    Versions v;
    try (PgSession s = sessions.open("source", source, beat);
        PgSession t = sessions.open("target", target, beat)) {
      v =
          new Versions(
              PgVersion.ofServer(s.serverVersionNum()),
              s.serverVersion(),
              PgVersion.ofServer(t.serverVersionNum()),
              t.serverVersion());
      if (v.target().olderThan(v.source())) {
        throw ApplicationFailure.newNonRetryableFailure(
            t.describe()
                + " runs PostgreSQL "
                + v.targetText()
                + ", older than the source's "
                + v.sourceText()
                + ": a dump restores only into the same or a newer major version; copy into PostgreSQL "
                + v.source()
                + " or newer",
            CutoverErrors.DB_PREREQUISITE);
      }
    }
    return v;
  }

  /**
   * The failure that explains why: the dump's own error first, unless it only lost its reader to a
   * failed restore.
   */
  private static ApplicationFailure failure(
      String step,
      String toolsHost,
      PgEndpoint source,
      PgEndpoint target,
      ShellResult result,
      PgCopyFollower follower,
      boolean dumpOk) {
    String dumpError = follower.error(PgToolsProbe.PG_DUMP);
    String restoreError = follower.error(PgToolsProbe.PG_RESTORE);
    boolean dumpLostReader =
        dumpError != null
            && (dumpError.contains("Broken pipe") || dumpError.contains("could not write"));
    String from =
        "step " + step + ": pg_dump on host " + toolsHost + " from " + source.describe("source");
    String into =
        "step " + step + ": pg_restore on host " + toolsHost + " into " + target.describe("target");
    if (!dumpOk && dumpError != null && !(dumpLostReader && restoreError != null)) {
      return PgToolFailures.of(from, dumpError, result.asRunResult());
    }
    if (restoreError != null) {
      return PgToolFailures.of(into, restoreError, result.asRunResult());
    }
    return ShellFailures.failure(
        "step " + step + " on host " + toolsHost + ": pg_dump | pg_restore", result);
  }

  /**
   * Names the copy's temporary directories on the tools host: the same step into the same database
   * finds its leftovers.
   */
  static String tempKey(String step, String targetConninfo) {
    String word = step.replaceAll("[^A-Za-z0-9_-]", "_");
    if (word.length() > 40) {
      word = word.substring(0, 40);
    }
    int hash = java.util.Arrays.hashCode(targetConninfo.getBytes(StandardCharsets.UTF_8));
    return word + "-" + Integer.toHexString(hash);
  }

  private record Versions(
      PgVersion source, String sourceText, PgVersion target, String targetText) {}
}
