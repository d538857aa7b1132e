package dev.cutover.steps.postgres;

import dev.cutover.plan.Database;
import dev.cutover.plan.DatabaseAccess;
import dev.cutover.plan.Host;
import dev.cutover.plan.Plan;

/** Builds the endpoints activities get from the plan's databases. Pure: runs in workflow code. */
public final class PgEndpoints {
  /** Where a server on the worker's own machine is reached. */
  static final String LOOPBACK = "127.0.0.1";

  private PgEndpoints() {}

  /**
   * The plan's database by name, with its host resolved and its password as a secret reference
   * (never the value).
   */
  public static PgEndpoint of(Plan plan, String name) {
    Database d = plan.databases().get(name);
    if (d == null) {
      throw new IllegalArgumentException("the plan has no database " + name);
    }
    Host host = plan.host(d.host());
    String passwordRef = d.passwordSecret() == null ? null : plan.secrets().get(d.passwordSecret());
    PgAccess access =
        d.accessOrDefault() == DatabaseAccess.HOST_TOOLS ? PgAccess.HOST_TOOLS : PgAccess.JDBC;
    return new PgEndpoint(
        d.host(),
        host,
        d.port(),
        d.name(),
        d.userOrDefault(),
        passwordRef,
        access,
        address(d, host));
  }

  private static String address(Database d, Host host) {
    if (d.address() != null) {
      return d.address();
    }
    // A local host's address is informational; the server on the worker's machine is on loopback.
    return host != null && host.usesSsh() && host.address() != null ? host.address() : LOOPBACK;
  }
}
