package dev.cutover.steps.postgres;

import dev.cutover.hosts.HostShells;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import io.temporal.failure.ApplicationFailure;

/**
 * Opens sessions to the plan's databases, by the endpoint's access: JDBC from the worker, or psql
 * on the database's host. The one place passwords are resolved, inside the worker.
 */
public class PgSessions {
  private final HostShells shells;
  private final SecretResolver secrets;

  public PgSessions(HostShells shells, SecretResolver secrets) {
    this.shells = shells;
    this.secrets = secrets;
  }

  /** A session with no beat: for short statements. */
  public PgSession open(String name, PgEndpoint endpoint) {
    return open(name, endpoint, null);
  }

  /**
   * A session to the database. A JDBC session connects at once (a wrong password fails here); a
   * psql session connects with each statement.
   *
   * @param name the database's name in the plan, for messages
   * @param beat called about every 2s while a statement runs, so a long one keeps the activity's
   *     heartbeat going; when it throws (Temporal's heartbeat does on cancellation) the statement
   *     is canceled and the exception reaches the caller. {@code null} for none
   */
  public PgSession open(String name, PgEndpoint endpoint, Runnable beat) {
    String password = password(name, endpoint);
    return switch (endpoint.accessOrDefault()) {
      case JDBC -> new JdbcSession(name, endpoint, address(endpoint), password, beat);
      case HOST_TOOLS ->
          new PsqlSession(
              name, endpoint, shells.shell(endpoint.hostName(), endpoint.host()), password, beat);
    };
  }

  /**
   * The name messages give the database. Requests carry endpoints, not the plan's name for them
   * ({@code old-db}), so the database's own name stands in; the one place to change once they do.
   */
  public static String nameOf(PgEndpoint endpoint) {
    return endpoint.database();
  }

  /** The endpoint's resolved password; {@code null} when it has none. */
  public String password(PgEndpoint endpoint) {
    return password(endpoint.hostName(), endpoint);
  }

  /** The shells the client tools run in, for steps that run pg_dump and pg_restore themselves. */
  public HostShells shells() {
    return shells;
  }

  /**
   * Where the server is reached from elsewhere: the endpoint's address, else its host's address,
   * else 127.0.0.1 (a database on the worker's own machine).
   */
  public static String address(PgEndpoint endpoint) {
    if (endpoint.address() != null && !endpoint.address().isBlank()) {
      return endpoint.address();
    }
    Host host = endpoint.host();
    if (host != null && host.usesSsh() && host.address() != null && !host.address().isBlank()) {
      return host.address();
    }
    return "127.0.0.1";
  }

  /**
   * The endpoint's resolved password; {@code null} when it has none. A failure names the database
   * (as {@code name}) and the reference, never a value.
   */
  public String password(String name, PgEndpoint endpoint) {
    if (endpoint.passwordSecret() == null) {
      return null;
    }
    try {
      return secrets.resolve(endpoint.passwordSecret());
    } catch (ApplicationFailure f) {
      throw ApplicationFailure.newNonRetryableFailure(
          "database " + endpoint.describe(name) + ": password: " + f.getOriginalMessage(),
          f.getType());
    }
  }
}
