package dev.cutover.plan;

/** How the worker reaches a database. */
public enum DatabaseAccess {
  @Doc("The worker connects with JDBC to the database's address and port.")
  JDBC,
  @Doc(
      "psql, pg_dump and pg_restore run on the database's host, over its transport: for a server only its own host can reach.")
  HOST_TOOLS
}
