package dev.cutover.steps.pgswitch;

import dev.cutover.plan.Host;

/**
 * The PgBouncer a switch holds clients at, resolved from the plan: its host and a secret reference
 * for the admin password (never the value).
 *
 * @param hostName the plan host PgBouncer runs on
 * @param host that host
 * @param port PgBouncer's listen port
 * @param adminUser a user in its admin_users
 * @param adminPasswordSecret reference to that user's password; {@code null} for trust
 * @param database the [databases] entry the application connects to
 * @param config the file holding that entry
 * @param sudo the step's {@code sudo} for the file ({@code null}: the host's sudo; absent in
 *     requests of histories from before it)
 */
public record PgSwitchBouncer(
    String hostName,
    Host host,
    int port,
    String adminUser,
    String adminPasswordSecret,
    String database,
    String config,
    Boolean sudo) {

  /** For messages: {@code pgbouncer on old:6432}. */
  public String describe() {
    return "pgbouncer on " + hostName + ":" + port;
  }
}
