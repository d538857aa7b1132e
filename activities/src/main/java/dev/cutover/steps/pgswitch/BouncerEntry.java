package dev.cutover.steps.pgswitch;

import java.util.Locale;

/**
 * Where a PgBouncer {@code [databases]} entry sends its clients, as the config file or {@code SHOW
 * DATABASES} says it.
 *
 * @param name the entry's name, what clients give as their database
 * @param host the server's address; {@code null} or empty for the local socket
 * @param port the server's port ({@code null}: PgBouncer's default, 5432)
 * @param database the server's database ({@code null}: the entry's name)
 */
record BouncerEntry(String name, String host, Integer port, String database) {
  /** PgBouncer's default server port. */
  static final int DEFAULT_PORT = 5432;

  int portOrDefault() {
    return port == null ? DEFAULT_PORT : port;
  }

  String databaseOrName() {
    return database == null || database.isEmpty() ? name : database;
  }

  /** Whether the server is on the bouncer's own host: a socket or a loopback address. */
  boolean local() {
    if (host == null || host.isEmpty() || host.startsWith("/")) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }

  /**
   * Whether the entry sends clients to the database at {@code address}:{@code port}, named {@code
   * database}. A local entry counts as that server when it is on the bouncer's own host.
   */
  boolean sendsTo(String address, int serverPort, String serverDatabase, boolean onBouncerHost) {
    boolean sameHost =
        (host != null && host.equalsIgnoreCase(address)) || (onBouncerHost && local());
    return sameHost && portOrDefault() == serverPort && databaseOrName().equals(serverDatabase);
  }

  /** For messages: {@code 10.0.0.3:5432/shop}. */
  String describeTarget() {
    return (host == null || host.isEmpty() ? "(socket)" : host)
        + ":"
        + portOrDefault()
        + "/"
        + databaseOrName();
  }
}
