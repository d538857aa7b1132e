package dev.cutover.steps.postgres;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A session through psql on the database's own host, over the host's transport (local or SSH): for
 * servers that only listen on their host, or that the worker may not reach.
 *
 * <p>Each call is one {@code psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose --csv}, the SQL on
 * its standard input, so nothing of the plan reaches a command line. Where to connect goes in the
 * libpq environment ({@code PGHOST}, {@code PGDATABASE}, ...: no value is ever read as a connection
 * string) and the password in {@code PGPASSWORD}, masked in any output kept. With a password psql
 * connects to 127.0.0.1, without one through the local socket (peer authentication).
 */
public final class PsqlSession implements PgSession {
  /**
   * How long one statement may run; the activity's own timeout and heartbeat usually end it first.
   */
  static final Duration STATEMENT_TIMEOUT = Duration.ofHours(12);

  static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(15);
  static final String TOOL = "psql";
  static final String SCRIPT = "exec psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose --csv";

  private final String name;
  private final PgEndpoint endpoint;
  private final HostShell shell;
  private final String password;
  private final Runnable beat;
  private Integer versionNum;

  /**
   * @param shell the shell of the database's host
   * @param password the resolved password; {@code null} for none
   * @param beat called while psql runs; {@code null} for none
   */
  PsqlSession(String name, PgEndpoint endpoint, HostShell shell, String password, Runnable beat) {
    this.name = name;
    this.endpoint = endpoint;
    this.shell = shell;
    this.password = password;
    this.beat = beat;
  }

  /**
   * The libpq environment for a client tool reaching {@code endpoint}.
   *
   * @param password the resolved password, or null
   * @param onItsHost whether the tool runs on the database's own host (then 127.0.0.1 or the
   *     socket, else the endpoint's address)
   * @param address where the server is reached from elsewhere (see {@link PgSessions#address})
   */
  public static Map<String, String> libpqEnv(
      PgEndpoint endpoint, String password, boolean onItsHost, String address) {
    Map<String, String> env = new LinkedHashMap<>();
    if (!onItsHost) {
      env.put("PGHOST", address);
    } else if (password != null) {
      env.put("PGHOST", "127.0.0.1");
    }
    env.put("PGPORT", String.valueOf(endpoint.portOrDefault()));
    env.put("PGDATABASE", endpoint.database());
    env.put("PGUSER", endpoint.user());
    if (password != null) {
      env.put("PGPASSWORD", password);
    }
    env.put("PGCONNECT_TIMEOUT", String.valueOf(JdbcSession.CONNECT_TIMEOUT_SECONDS));
    env.put("PGAPPNAME", JdbcSession.APPLICATION_NAME);
    env.put("PGCLIENTENCODING", "UTF8");
    // English messages, which PgFailures reads; the server's own messages follow its lc_messages.
    env.put("LC_MESSAGES", "C");
    return env;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PgEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public PgRows query(String sql, int keepRows) {
    // A NULL and an empty string look the same in psql's CSV; a token nobody writes tells them
    // apart. A line psql echoes after the statement proves the output was not cut short.
    String token = "<cutover-" + UUID.randomUUID() + ">";
    String nullToken = token + "null";
    String endToken = token + "end";
    String output =
        psql("\\pset null '" + nullToken + "'\n" + sql + "\n;\n\\echo '" + endToken + "'\n");
    int end = output.lastIndexOf(endToken);
    if (end < 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          describe()
              + ": the query's output is larger than psql sessions"
              + " (access: host-tools) keep ("
              + HostShell.STDOUT_LIMIT / 1024
              + " KiB); narrow it (LIMIT, count(*))",
          CutoverErrors.SQL_ERROR);
    }
    List<List<String>> records = CsvRecords.parse(output.substring(0, end));
    if (records.isEmpty()) {
      return new PgRows(List.of(), List.of());
    }
    List<List<String>> rows = new ArrayList<>();
    long count = 0;
    for (List<String> record : records.subList(1, records.size())) {
      count++;
      if (rows.size() < keepRows) {
        rows.add(record.stream().map(v -> nullToken.equals(v) ? null : v).toList());
      }
    }
    return new PgRows(records.get(0), rows, count);
  }

  @Override
  public void execute(String sql) {
    psql(sql + "\n");
  }

  @Override
  public int serverVersionNum() {
    if (versionNum == null) {
      versionNum = Integer.parseInt(query("show server_version_num").single().trim());
    }
    return versionNum;
  }

  /** Nothing to close: every call is a psql of its own. */
  @Override
  public void close() {}

  private String psql(String input) {
    // A name of its own, so a statement left running by a killed psql can be found and canceled:
    // the server only notices a vanished client when it next writes to it.
    String application =
        JdbcSession.APPLICATION_NAME + "-" + UUID.randomUUID().toString().substring(0, 8);
    boolean[] beatThrew = new boolean[1];
    ShellResult result;
    try {
      result =
          shell.exec(
              command(input, application, STATEMENT_TIMEOUT),
              new ExecWatch() {
                @Override
                public void beat(long elapsedMillis, String lastLine) {
                  if (beat != null) {
                    try {
                      beat.run();
                    } catch (RuntimeException | Error e) {
                      beatThrew[0] = true;
                      throw e;
                    }
                  }
                }
              });
    } catch (RuntimeException | Error e) {
      // Canceled (the beat threw) or interrupted (the worker is stopping): psql was killed.
      if (beatThrew[0] || Thread.currentThread().isInterrupted()) {
        cancelLeftover(application);
      }
      throw e;
    }
    if (!result.ok()) {
      if (result.timedOut()) {
        cancelLeftover(application);
      }
      throw PgFailures.fromClientTool(describe(), shell.hostName(), TOOL, result, password);
    }
    return result.stdout();
  }

  private ShellCommand command(String input, String application, Duration timeout) {
    Map<String, String> env = libpqEnv(endpoint, password, true, null);
    env.put("PGAPPNAME", application);
    List<String> mask = password == null || password.isEmpty() ? List.of() : List.of(password);
    return new ShellCommand(
        SCRIPT, env, mask, null, false, input.getBytes(StandardCharsets.UTF_8), timeout);
  }

  /**
   * Best effort: the step fails anyway, and a statement still running only costs the server time.
   */
  private void cancelLeftover(String application) {
    String sql =
        "select pg_cancel_backend(pid) from pg_stat_activity where application_name = "
            + PgQuote.literal(application)
            + " and pid <> pg_backend_pid()\n";
    // An interrupted thread would have this psql killed at once too: the flag waits until it has
    // run.
    boolean interrupted = Thread.interrupted();
    try {
      shell.exec(command(sql, JdbcSession.APPLICATION_NAME, CANCEL_TIMEOUT));
    } catch (RuntimeException e) {
      // the host or the server is gone: nothing left to cancel from here
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
