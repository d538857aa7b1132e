package dev.cutover.steps.postgres;

import dev.cutover.plan.Host;

/**
 * A database on a host. The password is a secret reference such as {@code env:PG_PASSWORD} or
 * {@code file:/etc/cutover/pg-old}, resolved by the worker; never a value, so none enters the
 * history.
 *
 * @param hostName the host's name in the plan
 * @param host the host
 * @param port the server's port ({@code null} for 5432)
 * @param database the database name
 * @param user the role to connect as
 * @param passwordSecret reference to the role's password; {@code null} when the server trusts the
 *     connection (peer or certificate authentication)
 * @param access how the worker reaches the database ({@code null} for {@link PgAccess#JDBC})
 * @param address where the server is reached from elsewhere: by the worker with JDBC, by pg_dump
 *     running on the other database's host, by a subscription on the other server. Client tools on
 *     the database's own host use 127.0.0.1 (with a password) or the local socket (without)
 */
public record PgEndpoint(
    String hostName,
    Host host,
    Integer port,
    String database,
    String user,
    String passwordSecret,
    PgAccess access,
    String address) {

  public static final int DEFAULT_PORT = 5432;

  public int portOrDefault() {
    return port == null ? DEFAULT_PORT : port;
  }

  public PgAccess accessOrDefault() {
    return access == null ? PgAccess.JDBC : access;
  }

  /** For messages: {@code old-db (shop on old:5432)}. */
  public String describe(String name) {
    return name + " (" + database + " on " + hostName + ":" + portOrDefault() + ")";
  }

  /**
   * Where pg_dump and pg_restore run for a copy from {@code source} into {@code target}: on the
   * target's host when the target is reached with the host's own tools, else on the worker's
   * machine ({@code null}). From there both servers are reached at their addresses.
   */
  public static String toolsHost(PgEndpoint source, PgEndpoint target) {
    return target.accessOrDefault() == PgAccess.HOST_TOOLS ? target.hostName() : null;
  }
}
