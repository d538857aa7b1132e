package dev.cutover.steps.dns;

import java.time.Duration;
import java.util.List;

/**
 * A TTL to set. {@code tsigSecret} is a secret reference such as {@code env:TSIG_SECRET} or {@code
 * file:/etc/cutover/tsig.key}, resolved by the worker; never the key itself.
 *
 * @param step the step's name in the plan
 * @param zone the zone
 * @param name the record's name, absolute or relative to the zone
 * @param type the record's type
 * @param ttl the new TTL
 * @param servers the zone's authoritative servers, as {@code host} or {@code host:port}; the update
 *     goes to the first (the primary). Empty to take the primary from the zone's SOA and the others
 *     from its NS records
 * @param tsigKeyName the TSIG key's name
 * @param tsigAlgorithm the TSIG algorithm ({@code null} for {@code hmac-sha256})
 * @param tsigSecret reference to the TSIG key's secret
 */
public record DnsTtlRequest(
    String step,
    String zone,
    String name,
    DnsRecordType type,
    Duration ttl,
    List<String> servers,
    String tsigKeyName,
    String tsigAlgorithm,
    String tsigSecret) {

  public DnsTtlRequest {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
