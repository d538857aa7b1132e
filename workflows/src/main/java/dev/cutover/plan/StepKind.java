package dev.cutover.plan;

import java.util.Locale;

/**
 * Every kind of step a plan can name. Only the kinds marked available run in this version; the
 * others have their activity contract in {@code dev.cutover.steps} and are refused by the
 * validator until their implementation lands.
 */
public enum StepKind {
  @Doc("Run a command on a host.")
  RUN(true),
  @Doc("Wait for a duration (a durable timer).")
  WAIT(true),
  @Doc("Copy a tree between hosts with rsync.")
  RSYNC(true),
  @Doc("Copy a PostgreSQL database with pg_dump/pg_restore.")
  PG_COPY(true),
  @Doc("Move a PostgreSQL database with logical replication.")
  PG_REPLICATE(true),
  @Doc("Compare row counts and checksums between old and new databases.")
  PG_VERIFY(true),
  @Doc("Run SQL and check its result.")
  SQL(true),
  @Doc("Wait until no client is connected to a database.")
  PG_CONNECTIONS(true),
  @Doc("Check an HTTP endpoint.")
  HTTP(true),
  @Doc("Check a TLS certificate.")
  TLS(true),
  @Doc("Change a DNS record's TTL.")
  DNS_TTL(true),
  @Doc("Change a DNS record's value.")
  DNS_SET(true),
  @Doc("Make the old host's nginx proxy to the new host.")
  PROXY_SWITCH(true),
  @Doc("Stop, start or restart a service.")
  SERVICE(true),
  @Doc("Move a user's crontab.")
  CRON(true),
  @Doc("Turn a maintenance page on or off.")
  MAINTENANCE(true),
  @Doc("Write a file.")
  PUT(true),
  @Doc("Send a notification.")
  NOTIFY(true);

  private final boolean available;

  StepKind(boolean available) {
    this.available = available;
  }

  /** Whether steps of this kind name databases (from the plan's databases) instead of hosts. */
  public boolean onDatabases() {
    return this == PG_COPY || this == PG_REPLICATE || this == PG_VERIFY || this == SQL || this == PG_CONNECTIONS;
  }

  /** Whether this version of cutover can run steps of this kind. */
  public boolean available() {
    return available;
  }

  /** The name used in plan files: lower case with hyphens, like {@code pg-copy}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
