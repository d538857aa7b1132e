package dev.cutover.steps.dns;

import java.time.Duration;
import java.time.Instant;

/**
 * What the run knows of one record: its state read before the first change (what the finish phase
 * and undo put back), and whether its TTL is lowered. It travels in the run's record and
 * checkpoint.
 *
 * @param step the step that first read it
 * @param dns the plan's dns entry
 * @param name the record's absolute name
 * @param type the record's type
 * @param original the record as the servers answered before anything changed
 * @param loweredTo the TTL a dns-ttl step lowered it to; {@code null} while it is not lowered
 * @param loweredAt when the lowered TTL reached every server; a switch waits the original TTL from
 *     then
 */
public record DnsRecordMemory(
    String step,
    String dns,
    String name,
    DnsRecordType type,
    DnsRecordState original,
    Duration loweredTo,
    Instant loweredAt) {

  /** The record's key in the run: one per entry, name and type. */
  public String key() {
    return key(dns, name, type);
  }

  public static String key(String dns, String name, DnsRecordType type) {
    return dns + " " + name + " " + type;
  }

  DnsRecordMemory lowered(Duration ttl, Instant at) {
    return new DnsRecordMemory(step, dns, name, type, original, ttl, at);
  }

  DnsRecordMemory restored() {
    return new DnsRecordMemory(step, dns, name, type, original, null, null);
  }
}
