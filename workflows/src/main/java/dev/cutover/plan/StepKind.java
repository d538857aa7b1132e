package dev.cutover.plan;

import java.util.Locale;

/**
 * Every kind of step a plan can name, by the name histories hold ({@code RSYNC}); its unit (spec,
 * handler) is listed in {@code dev.cutover.steps.StepKinds}.
 */
public enum StepKind {
  @Doc("Run a command on a host.")
  RUN,
  @Doc("Wait for a duration (a durable timer).")
  WAIT,
  @Doc("Copy a tree between hosts with rsync.")
  RSYNC,
  @Doc("Copy a PostgreSQL database with pg_dump/pg_restore.")
  PG_COPY,
  @Doc("Move a PostgreSQL database with logical replication.")
  PG_REPLICATE,
  @Doc("Compare row counts and checksums between old and new databases.")
  PG_VERIFY,
  @Doc("Run SQL and check its result.")
  SQL,
  @Doc("Wait until no client is connected to a database.")
  PG_CONNECTIONS,
  @Doc("Check an HTTP endpoint.")
  HTTP,
  @Doc("Check a TLS certificate.")
  TLS,
  @Doc("Change a DNS record's TTL.")
  DNS_TTL,
  @Doc("Change a DNS record's value.")
  DNS_SET,
  @Doc("Make the old host's nginx proxy to the new host.")
  PROXY_SWITCH,
  @Doc("Stop, start or restart a service.")
  SERVICE,
  @Doc("Move a user's crontab to another host, or remove it from one.")
  CRON,
  @Doc("Turn a maintenance page on or off.")
  MAINTENANCE,
  @Doc("Write a file.")
  PUT,
  @Doc("Send a notification.")
  NOTIFY,
  @Doc("Create a PostgreSQL role and a database it owns.")
  PG_DATABASE,
  @Doc("Wait until every authoritative server answers a value someone else sets.")
  DNS_WAIT,
  @Doc("Reboot a host and wait until it is back with the same host key.")
  REBOOT,
  @Doc("Switch writes from one PostgreSQL database to its subscriber in one unit with a deadline.")
  PG_SWITCH,
  @Doc("Run branches of steps side by side, each branch's steps in order.")
  PARALLEL;

  /** The name used in plan files: lower case with hyphens, like {@code pg-copy}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
