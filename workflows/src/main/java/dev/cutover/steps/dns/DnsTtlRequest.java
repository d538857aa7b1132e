package dev.cutover.steps.dns;

import java.time.Duration;

/**
 * A TTL to set, keeping the record's values (rfc2136 only: a hosts file has no TTL).
 *
 * @param step the step's name in the plan
 * @param target where the record lives
 * @param name the record's name, absolute or relative to the zone
 * @param type the record's type
 * @param ttl the new TTL
 */
public record DnsTtlRequest(
    String step, DnsTarget target, String name, DnsRecordType type, Duration ttl) {}
