package dev.cutover.steps.dns;

import java.util.List;

/**
 * Every authoritative server answers the value.
 *
 * @param servers the servers that were asked
 * @param waitedMillis how long it took
 */
public record DnsWaitResult(List<String> servers, long waitedMillis) {

  public DnsWaitResult {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
