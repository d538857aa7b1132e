package dev.cutover.steps.dns;

import java.time.Duration;
import java.util.List;

/**
 * A record's new value. {@code tsigSecret} is a secret reference such as {@code env:TSIG_SECRET}
 * or {@code file:/etc/cutover/tsig.key}, resolved by the worker; never the key itself.
 *
 * @param step the step's name in the plan
 * @param zone the zone
 * @param name the record's name, absolute or relative to the zone
 * @param type the record's type
 * @param value the new value (an address, or a name for CNAME)
 * @param ttl the TTL to set with it; {@code null} to keep the current one
 * @param expectedValue the value the record must have before the change, or {@code null} for no
 *     check; a record holding neither this nor {@code value} stops the step before anything is
 *     changed, and a record already holding {@code value} is left as it is
 * @param servers the zone's authoritative servers, as {@code host} or {@code host:port}; the update
 *     goes to the first (the primary). Empty to take the primary from the zone's SOA and the others
 *     from its NS records
 * @param tsigKeyName the TSIG key's name
 * @param tsigAlgorithm the TSIG algorithm ({@code null} for {@code hmac-sha256})
 * @param tsigSecret reference to the TSIG key's secret
 */
public record DnsSetRequest(
    String step,
    String zone,
    String name,
    DnsRecordType type,
    String value,
    Duration ttl,
    String expectedValue,
    List<String> servers,
    String tsigKeyName,
    String tsigAlgorithm,
    String tsigSecret) {

  public DnsSetRequest {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
