package dev.cutover.steps.dns;

/**
 * A record to read.
 *
 * @param step the step's name in the plan
 * @param target where the record lives
 * @param name the record's name, absolute ({@code www.example.org}) or relative to the zone ({@code
 *     www}, {@code @}); for hosts-file, the host name as the file lists it
 * @param type the record's type
 */
public record DnsReadRequest(String step, DnsTarget target, String name, DnsRecordType type) {}
