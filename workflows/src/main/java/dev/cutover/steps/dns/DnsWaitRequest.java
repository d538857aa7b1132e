package dev.cutover.steps.dns;

import java.time.Duration;
import java.util.List;

/**
 * An answer to wait for.
 *
 * @param step the step's name in the plan
 * @param target where the record lives; every authoritative server (rfc2136) or every host's file
 *     (hosts-file) must answer
 * @param name the record's name, absolute or relative to the zone
 * @param type the record's type
 * @param values the values every server must answer, in any order; empty: the record must be gone
 * @param ttl the TTL every server must answer; {@code null} for no check
 * @param pollInterval how often the servers are asked ({@code null} for 1s)
 */
public record DnsWaitRequest(
    String step,
    DnsTarget target,
    String name,
    DnsRecordType type,
    List<String> values,
    Duration ttl,
    Duration pollInterval) {

  public DnsWaitRequest {
    values = values == null ? List.of() : List.copyOf(values);
  }
}
