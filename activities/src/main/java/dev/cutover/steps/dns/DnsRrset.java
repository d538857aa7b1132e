package dev.cutover.steps.dns;

import java.time.Duration;
import java.util.List;

/**
 * What one server (or one hosts file) holds for a name and type.
 *
 * @param exists whether the record exists there
 * @param values its values in {@link DnsValues canonical text}, sorted; empty when it does not
 *     exist
 * @param ttl its TTL; {@code null} when it does not exist or the source has no TTL (a hosts file)
 */
record DnsRrset(boolean exists, List<String> values, Duration ttl) {
  static final DnsRrset ABSENT = new DnsRrset(false, List.of(), null);

  DnsRrset {
    values = values == null ? List.of() : List.copyOf(values);
  }

  /** What an rrset with these values is: absent when there are none. */
  static DnsRrset of(List<String> values, Duration ttl) {
    return values.isEmpty() ? ABSENT : new DnsRrset(true, values, ttl);
  }

  /** Whether it answers exactly {@code wanted} (and the TTL, when one is asked for). */
  boolean holds(List<String> wanted, Duration wantedTtl) {
    return values.equals(wanted)
        && (wantedTtl == null || wanted.isEmpty() || wantedTtl.equals(ttl));
  }

  /** For messages and heartbeats: the values, or "no record". */
  String describe() {
    return exists
        ? String.join(", ", values) + (ttl == null ? "" : " (TTL " + ttl.toSeconds() + "s)")
        : "no record";
  }
}
