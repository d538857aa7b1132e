package dev.cutover.steps.dns;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records the run has read and changed, in workflow memory: the original of each (read once,
 * before the first change, so a retry that finds its change already made still restores the real
 * original), and which TTLs are lowered, so a dns-set waits until every cache has dropped the long
 * TTL and the finish phase knows what to restore. Deterministic: no I/O.
 */
public final class DnsLedger {
  private final Map<String, DnsRecordMemory> records = new LinkedHashMap<>();

  public DnsLedger(List<DnsRecordMemory> carried) {
    if (carried != null) {
      carried.forEach(m -> records.put(m.key(), m));
    }
  }

  public DnsRecordMemory get(String dns, String name, DnsRecordType type) {
    return records.get(DnsRecordMemory.key(dns, name, type));
  }

  public void remember(DnsRecordMemory memory) {
    records.putIfAbsent(memory.key(), memory);
  }

  /** A TTL set on a record: lower than its original means lowered (from now), else restored. */
  public void ttlSet(String dns, String name, DnsRecordType type, Duration ttl, Instant at) {
    records.computeIfPresent(
        DnsRecordMemory.key(dns, name, type),
        (k, m) -> {
          Duration original = m.original().ttl();
          return original != null && ttl.compareTo(original) < 0
              ? (m.loweredTo() == null ? m.lowered(ttl, at) : m)
              : m.restored();
        });
  }

  /**
   * The lowered TTL is on every server now: resolvers may have cached the long one until this
   * moment, so the wait counts from here rather than from the update.
   */
  public void loweredEverywhere(String dns, String name, DnsRecordType type, Instant at) {
    records.computeIfPresent(
        DnsRecordMemory.key(dns, name, type),
        (k, m) -> m.loweredAt() == null ? m : m.lowered(m.loweredTo(), at));
  }

  /**
   * The earliest moment a switch may run: every lowered record's original TTL after it was lowered,
   * when resolvers that cached the long TTL just before have dropped it. {@code null} when nothing
   * is lowered.
   */
  public Instant switchNotBefore() {
    Instant latest = null;
    for (DnsRecordMemory m : records.values()) {
      if (m.loweredAt() != null) {
        Instant until = m.loweredAt().plus(m.original().ttl());
        latest = latest == null || until.isAfter(latest) ? until : latest;
      }
    }
    return latest;
  }

  /** The records whose TTL is still lowered, for the finish phase to restore. */
  public List<DnsRecordMemory> lowered() {
    return records.values().stream().filter(m -> m.loweredAt() != null).toList();
  }

  public List<DnsRecordMemory> all() {
    return new ArrayList<>(records.values());
  }
}
