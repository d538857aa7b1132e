package dev.cutover.steps.dns;

import java.util.List;

/**
 * A record to read.
 *
 * @param step the step's name in the plan
 * @param zone the zone, like {@code example.org}
 * @param name the record's name, absolute ({@code www.example.org}) or relative to the zone
 *     ({@code www}, {@code @})
 * @param type the record's type
 * @param servers the authoritative servers to ask, as {@code host} or {@code host:port}; empty to
 *     find them by NS lookup
 */
public record DnsReadRequest(
    String step, String zone, String name, DnsRecordType type, List<String> servers) {

  public DnsReadRequest {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
