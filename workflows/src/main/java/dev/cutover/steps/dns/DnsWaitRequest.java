package dev.cutover.steps.dns;

import java.time.Duration;
import java.util.List;

/**
 * An answer to wait for.
 *
 * @param step the step's name in the plan
 * @param zone the zone
 * @param name the record's name, absolute or relative to the zone
 * @param type the record's type
 * @param value the value every authoritative server must answer
 * @param servers the authoritative servers, as {@code host} or {@code host:port}; empty to find
 *     them by NS lookup
 * @param pollInterval how often the servers are asked ({@code null} for 2s)
 */
public record DnsWaitRequest(
    String step,
    String zone,
    String name,
    DnsRecordType type,
    String value,
    List<String> servers,
    Duration pollInterval) {

  public DnsWaitRequest {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
