package dev.cutover.steps.postgres;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * libpq connection strings ({@code host=... port=... dbname=...}), for the client tools and for a
 * subscription's {@code CONNECTION}. Every value is quoted the way libpq reads it back, so a
 * database or role name from the plan cannot add keywords of its own.
 */
public final class PgConnInfo {
  /** How long a tool waits for a server before giving up; libpq waits forever without it. */
  static final int CONNECT_TIMEOUT_SECONDS = 10;

  private PgConnInfo() {}

  /**
   * How a client tool on host {@code toolsHostName} ({@code null}: the worker's machine) reaches
   * the endpoint's server: on the server's own host with its tools, over 127.0.0.1 when there is a
   * password and through the local socket when not (peer authentication); from anywhere else at the
   * server's address. The password is never in it: the tools read it from PGPASSWORD.
   */
  public static String forTools(PgEndpoint e, String toolsHostName, boolean hasPassword) {
    Map<String, String> keys = new LinkedHashMap<>();
    String host = onOwnHost(e, toolsHostName) ? (hasPassword ? "127.0.0.1" : null) : address(e);
    if (host != null) {
      keys.put("host", host);
    }
    keys.put("port", Integer.toString(e.portOrDefault()));
    keys.put("dbname", e.database());
    if (e.user() != null) {
      keys.put("user", e.user());
    }
    keys.put("application_name", "cutover");
    keys.put("connect_timeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    return render(keys);
  }

  /**
   * The {@code CONNECTION} of a subscription on the other server: the source at its address, with
   * its password. It holds a secret: never log it, never put it in a message (mask it).
   */
  public static String forSubscription(PgEndpoint source, String password) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("host", address(source));
    keys.put("port", Integer.toString(source.portOrDefault()));
    keys.put("dbname", source.database());
    if (source.user() != null) {
      keys.put("user", source.user());
    }
    if (password != null) {
      keys.put("password", password);
    }
    keys.put("connect_timeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    return render(keys);
  }

  /**
   * Where others reach the server: the one rule {@link PgSessions#address} keeps for every session.
   */
  static String address(PgEndpoint e) {
    return PgSessions.address(e);
  }

  /** Whether a tool on {@code toolsHostName} runs on the endpoint's own host, with its tools. */
  static boolean onOwnHost(PgEndpoint e, String toolsHostName) {
    return e.accessOrDefault() == PgAccess.HOST_TOOLS
        && toolsHostName != null
        && toolsHostName.equals(e.hostName());
  }

  static String render(Map<String, String> keys) {
    StringBuilder out = new StringBuilder();
    keys.forEach(
        (key, value) -> {
          if (out.length() > 0) {
            out.append(' ');
          }
          out.append(key).append('=').append(quote(value));
        });
    return out.toString();
  }

  /**
   * A value as libpq reads it: in single quotes, with backslash and quote escaped by a backslash.
   */
  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
