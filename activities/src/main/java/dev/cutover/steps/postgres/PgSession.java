package dev.cutover.steps.postgres;

/**
 * A connection to one database of the plan, however it is reached: JDBC from the worker ({@link
 * JdbcSession}) or psql on the database's host ({@link PsqlSession}). Steps are written once
 * against this and work with either access.
 *
 * <p>Failures are {@link io.temporal.failure.ApplicationFailure}s with the types of {@link
 * dev.cutover.steps.CutoverErrors}, classified by {@link PgFailures}, whose messages name the
 * database as {@link PgEndpoint#describe} does and never hold the password. Statements run in
 * autocommit: each is its own transaction, so statements that refuse a transaction block (CREATE
 * SUBSCRIPTION, CREATE DATABASE) work.
 */
public interface PgSession extends AutoCloseable {
  /** The database's name in the plan, for messages. */
  String name();

  PgEndpoint endpoint();

  /** For messages: {@code database old-db (shop on old:5432)}. */
  default String describe() {
    return "database " + endpoint().describe(name());
  }

  /**
   * Runs one statement that returns rows and returns them all.
   *
   * <p>One statement with rows only: psql prints the results of several one after the other, which
   * cannot be told apart. Statements without rows may come first ({@code set timezone = 'UTC';
   * select ...}): with psql each call is a new connection, so settings must travel with the query.
   */
  default PgRows query(String sql) {
    return query(sql, Integer.MAX_VALUE);
  }

  /** Runs one statement that returns rows, keeping the first {@code keepRows} and counting all. */
  PgRows query(String sql, int keepRows);

  /** Runs statements for their effect, in autocommit (no transaction block around them). */
  void execute(String sql);

  /** The server's version as a number, like 150004 for 15.4 ({@code server_version_num}). */
  int serverVersionNum();

  /** The server's version for people, like {@code 15.4}. */
  default String serverVersion() {
    String version = query("show server_version").single();
    int space = version.indexOf(' ');
    return space < 0 ? version : version.substring(0, space);
  }

  /** Ends the session; never throws. */
  @Override
  void close();
}
