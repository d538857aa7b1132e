package dev.cutover.steps.postgres;

import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns what PostgreSQL said into a classified failure, the same for JDBC and for the client tools
 * on a host: what a retry cannot fix (a wrong password, a missing database, a bad query, a missing
 * tool) stops at once; a server that does not answer, or a statement that lost a race, is retried.
 *
 * <p>Messages start with {@code database old-db (shop on old:5432): } (or {@code host old: } for a
 * missing tool), so {@link dev.cutover.hosts.ShellFailures#inStep} can put the step in front. The
 * password is masked in every message, though neither the server nor libpq are known to echo it.
 */
public final class PgFailures {
  /** psql's exit code when the connection failed or went bad. */
  static final int PSQL_EXIT_CONNECTION = 2;

  /** psql's exit code when a statement failed with ON_ERROR_STOP set. */
  static final int PSQL_EXIT_SCRIPT_ERROR = 3;

  /** {@code ERROR: 42P01: relation "x" does not exist}, as psql prints with VERBOSITY=verbose. */
  private static final Pattern VERBOSE_ERROR =
      Pattern.compile("(?:ERROR|FATAL|PANIC):\\s+([0-9A-Z]{5}):\\s+(.*)");

  private static final Pattern AUTH =
      Pattern.compile(
          "password authentication failed|no pg_hba\\.conf entry"
              + "|role \"[^\"]*\" does not exist|no password (supplied|was provided)|Peer authentication failed"
              + "|Ident authentication failed|authentication failed for user|is not permitted to log in");
  private static final Pattern MISSING = Pattern.compile("database \"[^\"]*\" does not exist");
  private static final Pattern UNREACHABLE =
      Pattern.compile(
          "Connection refused|could not connect|timeout expired"
              + "|could not translate host name|Connection timed out|No route to host|Network is unreachable"
              + "|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)"
              + "|server closed the connection unexpectedly|too many clients|connection to server .* failed"
              + "|terminating connection due to administrator command|Connection reset");

  private PgFailures() {}

  /**
   * A failure of JDBC.
   *
   * @param where {@code database old-db (shop on old:5432)}
   * @param password masked in the message; may be null
   */
  public static ApplicationFailure fromJdbc(String where, SQLException e, String password) {
    String state = e.getSQLState();
    String text = jdbcText(e);
    // pgjdbc reports a password the server asked for and was not given without a server state.
    if (state == null || state.startsWith("08")) {
      if (AUTH.matcher(text).find()) {
        state = "28000";
      }
    }
    return classify(where, state, text, password);
  }

  /**
   * A client tool (psql, pg_dump, pg_restore) that ran on {@code hostName} and did not succeed.
   * Only the error line goes into the message: the rest of the output may hold rows of data.
   *
   * @param where {@code database old-db (shop on old:5432)}
   * @param tool the program, for the missing-tool message
   * @param password masked in the message; may be null
   */
  public static ApplicationFailure fromClientTool(
      String where, String hostName, String tool, ShellResult result, String password) {
    String output = result.outputTail();
    if (result.timedOut()) {
      return ApplicationFailure.newFailure(
          mask(
              where
                  + ": "
                  + tool
                  + " on host "
                  + hostName
                  + " timed out after "
                  + result.durationMillis() / 1000
                  + "s",
              password),
          CutoverErrors.COMMAND_TIMED_OUT);
    }
    if (result.exitCode() == ShellFailures.EXIT_NOT_FOUND
        || Pattern.compile("\\b" + Pattern.quote(tool) + ": (command )?not found")
            .matcher(output)
            .find()) {
      return ApplicationFailure.newNonRetryableFailure(
          "host "
              + hostName
              + ": "
              + tool
              + " is not installed (command not found);"
              + " install the PostgreSQL client there, or reach "
              + where
              + " with access: jdbc",
          CutoverErrors.MISSING_TOOL);
    }
    Matcher verbose = null;
    for (String line : output.split("\n")) {
      Matcher m = VERBOSE_ERROR.matcher(line);
      if (m.find()) {
        verbose = m;
        break;
      }
    }
    if (verbose != null) {
      return classify(where, verbose.group(1), verbose.group(2), password);
    }
    String text = errorLine(output);
    if (AUTH.matcher(output).find()) {
      return classify(where, "28000", text, password);
    }
    if (MISSING.matcher(output).find()) {
      return classify(where, "3D000", text, password);
    }
    if (result.exitCode() == PSQL_EXIT_CONNECTION || UNREACHABLE.matcher(output).find()) {
      return classify(where, "08000", text, password);
    }
    return ApplicationFailure.newFailure(
        mask(
            where
                + ": "
                + tool
                + " on host "
                + hostName
                + " exited with "
                + result.exitCode()
                + (text.isEmpty() ? "" : ": " + text),
            password),
        CutoverErrors.COMMAND_FAILED);
  }

  /** By SQLSTATE class: https://www.postgresql.org/docs/current/errcodes-appendix.html */
  static ApplicationFailure classify(String where, String state, String text, String password) {
    String message = mask(where + ": " + text, password);
    String s = state == null ? "" : state;
    if (s.equals("28P01") || s.equals("28000")) {
      return ApplicationFailure.newNonRetryableFailure(message, CutoverErrors.DB_AUTH_FAILED);
    }
    if (s.equals("3D000")) {
      return ApplicationFailure.newNonRetryableFailure(message, CutoverErrors.DB_MISSING);
    }
    if (s.startsWith("08")
        || s.equals("57P01")
        || s.equals("57P02")
        || s.equals("57P03")
        || s.equals("53300")) {
      return ApplicationFailure.newFailure(message, CutoverErrors.DB_UNREACHABLE);
    }
    if (s.equals("42501")) {
      return ApplicationFailure.newNonRetryableFailure(message, CutoverErrors.PERMISSION_DENIED);
    }
    if (s.startsWith("42") || s.startsWith("22") || s.equals("3F000") || s.equals("0A000")) {
      return ApplicationFailure.newNonRetryableFailure(message, CutoverErrors.SQL_ERROR);
    }
    if (s.equals("55000")) {
      return ApplicationFailure.newNonRetryableFailure(message, CutoverErrors.DB_PREREQUISITE);
    }
    // Locks, deadlocks, serialization failures, a canceled statement: a retry may well succeed.
    return ApplicationFailure.newFailure(
        message + (s.isEmpty() ? "" : " (SQLSTATE " + s + ")"), CutoverErrors.COMMAND_FAILED);
  }

  /** Replaces the password wherever it appears. */
  static String mask(String text, String password) {
    if (text == null || password == null || password.isEmpty()) {
      return text;
    }
    return text.replace(password, "***");
  }

  private static String jdbcText(SQLException e) {
    if (e instanceof PSQLException p) {
      ServerErrorMessage server = p.getServerErrorMessage();
      if (server != null && server.getMessage() != null) {
        return server.getMessage();
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The line that says what went wrong, without psql's prefixes. */
  private static String errorLine(String output) {
    String found = null;
    for (String line : output.split("\n")) {
      if (line.contains("FATAL:") || line.contains("error:") || line.contains("ERROR:")) {
        found = line;
        break;
      }
    }
    if (found == null) {
      int nl = output.lastIndexOf('\n');
      return (nl < 0 ? output : output.substring(nl + 1)).trim();
    }
    for (String marker : new String[] {"FATAL:", "ERROR:", "error:"}) {
      int at = found.lastIndexOf(marker);
      if (at >= 0) {
        return found.substring(at + marker.length()).trim();
      }
    }
    return found.trim();
  }
}
