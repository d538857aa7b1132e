package dev.cutover.steps.postgres;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.util.List;

/**
 * The {@code sql} step: runs the plan's query and checks its result. A result that does not meet
 * the expectation is a retryable {@link PostgresActivities#SQL_CHECK_FAILED} (the condition may
 * hold on a later attempt: clients leaving, replication catching up), with the result as details so
 * the operator sees what the query returned. A query the server rejects stops at once ({@link
 * CutoverErrors#SQL_ERROR}).
 */
public class SqlChecker {
  /** Rows kept in the result: enough to show why a check failed, little enough for the history. */
  static final int KEEP_ROWS = 20;

  /** The heartbeat's details: the query is the only thing going on. */
  public static final String RUNNING = "running the query";

  private final PgSessions sessions;

  public SqlChecker(PgSessions sessions) {
    this.sessions = sessions;
  }

  /**
   * @param heartbeat liveness while the query runs (details: {@link #RUNNING}); throws to cancel,
   *     as Temporal's heartbeat does
   */
  public SqlCheckResult check(SqlCheckRequest request, Heartbeat<Object> heartbeat) {
    return ShellFailures.inStep(request.step(), () -> run(request, heartbeat));
  }

  private SqlCheckResult run(SqlCheckRequest request, Heartbeat<Object> heartbeat) {
    String name = PgSessions.nameOf(request.endpoint());
    String where = "database " + request.endpoint().describe(name);
    if (request.sql() == null || request.sql().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": the sql step has no query", CutoverErrors.INVALID_CONFIG);
    }
    PgRows rows;
    try (PgSession session =
        sessions.open(name, request.endpoint(), () -> heartbeat.beat(RUNNING))) {
      rows = session.query(request.sql(), KEEP_ROWS);
    }
    String mismatch = mismatch(request, rows);
    SqlCheckResult result =
        new SqlCheckResult(
            rows.columns(), rows.rows(), rows.rowCount(), rows.truncated(), mismatch == null);
    if (mismatch != null) {
      throw ApplicationFailure.newFailureWithCause(
          "step " + request.step() + " on " + where + ": " + mismatch,
          PostgresActivities.SQL_CHECK_FAILED,
          null,
          result);
    }
    return result;
  }

  /** Why the result does not meet the expectation; {@code null} when it does. */
  static String mismatch(SqlCheckRequest request, PgRows rows) {
    if (request.expectRows() != null && rows.rowCount() != request.expectRows()) {
      return "expected "
          + rowsText(request.expectRows())
          + ", the query returned "
          + rowsText(rows.rowCount())
          + firstValueText(rows);
    }
    if (request.expectValue() != null) {
      if (rows.rows().isEmpty() || rows.rows().get(0).isEmpty()) {
        return "expected the value " + request.expectValue() + ", the query returned no value";
      }
      String first = rows.rows().get(0).get(0);
      // NULL never equals an expected text, as in SQL.
      if (!request.expectValue().equals(first)) {
        return "expected the value "
            + request.expectValue()
            + ", the query returned "
            + (first == null ? "NULL" : first)
            + " ("
            + rowsText(rows.rowCount())
            + ")";
      }
    }
    return null;
  }

  private static String firstValueText(PgRows rows) {
    List<List<String>> kept = rows.rows();
    if (kept.isEmpty() || kept.get(0).isEmpty()) {
      return "";
    }
    String first = kept.get(0).get(0);
    return ", first value " + (first == null ? "NULL" : first);
  }

  private static String rowsText(long n) {
    return n + (n == 1 ? " row" : " rows");
  }
}
