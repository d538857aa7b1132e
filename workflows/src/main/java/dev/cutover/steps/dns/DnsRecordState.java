package dev.cutover.steps.dns;

import java.time.Duration;
import java.util.List;

/**
 * A record as the authoritative servers answer it.
 *
 * @param zone the zone
 * @param name the record's absolute name
 * @param type the record's type
 * @param exists whether the record exists
 * @param values its values (several for a round-robin A or AAAA); empty when it does not exist
 * @param ttl its TTL; {@code null} when it does not exist
 * @param servers the servers that answered
 */
public record DnsRecordState(
    String zone,
    String name,
    DnsRecordType type,
    boolean exists,
    List<String> values,
    Duration ttl,
    List<String> servers) {

  public DnsRecordState {
    values = values == null ? List.of() : List.copyOf(values);
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
