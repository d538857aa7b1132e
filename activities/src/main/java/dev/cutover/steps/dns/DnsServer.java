package dev.cutover.steps.dns;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;

/**
 * A server as a plan names it: {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}.
 *
 * @param text the plan's text, which messages and results show
 * @param host the name or address
 * @param port the port (53 unless given)
 */
record DnsServer(String text, String host, int port) {
  static final int PORT = 53;

  static DnsServer parse(String text, String where) {
    String t = text == null ? "" : text.trim();
    String host = t;
    int port = PORT;
    try {
      if (t.startsWith("[")) {
        int close = t.indexOf(']');
        host = t.substring(1, close);
        if (close + 1 < t.length()) {
          if (t.charAt(close + 1) != ':') {
            throw new IllegalArgumentException();
          }
          port = Integer.parseInt(t.substring(close + 2));
        }
      } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
        host = t.substring(0, t.indexOf(':'));
        port = Integer.parseInt(t.substring(t.indexOf(':') + 1));
      }
    } catch (RuntimeException e) {
      host = "";
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": DNS server '" + text + "' is not host, host:port or [ipv6]:port",
          CutoverErrors.INVALID_CONFIG);
    }
    return new DnsServer(t, host, port);
  }
}
