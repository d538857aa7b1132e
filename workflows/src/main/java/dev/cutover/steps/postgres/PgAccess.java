package dev.cutover.steps.postgres;

/** How the worker reaches a database; the plan chooses. */
public enum PgAccess {
  /** The worker connects with JDBC to the host's address and port. */
  JDBC,
  /**
   * The client tools (psql, pg_dump, pg_restore) run on the database's host, over its transport.
   */
  HOST_TOOLS
}
