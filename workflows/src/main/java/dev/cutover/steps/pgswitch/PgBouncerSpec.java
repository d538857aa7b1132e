package dev.cutover.steps.pgswitch;

import dev.cutover.plan.Doc;

/** The PgBouncer a {@code pg-switch} holds clients at while it switches. */
public record PgBouncerSpec(
    @Doc("The plan host PgBouncer runs on; its config file is rewritten there.") String host,
    @Doc("PgBouncer's listen port (default 6432).") Integer port,
    @Doc("A user listed in PgBouncer's admin_users.") String adminUser,
    @Doc("Secret reference to that user's password (none: trust).") String adminPasswordSecret,
    @Doc("The [databases] entry the application connects to.") String database,
    @Doc("The file holding that entry (pgbouncer.ini or a file it includes).") String config) {

  public static final int DEFAULT_PORT = 6432;

  public int portOrDefault() {
    return port == null ? DEFAULT_PORT : port;
  }
}
