package dev.cutover.steps.dns;

import java.time.Duration;
import java.util.List;

/**
 * A record before and after a change; the previous state is what the undo (and, for a TTL, the
 * finish phase) puts back.
 *
 * @param zone the zone
 * @param name the record's absolute name
 * @param type the record's type
 * @param previousExisted whether the record existed before
 * @param previousValues its values before
 * @param previousTtl its TTL before; {@code null} when it did not exist
 * @param values its values after
 * @param ttl its TTL after
 * @param changed whether an update was sent (false: the record already had this state)
 */
public record DnsChangeResult(
    String zone,
    String name,
    DnsRecordType type,
    boolean previousExisted,
    List<String> previousValues,
    Duration previousTtl,
    List<String> values,
    Duration ttl,
    boolean changed) {

  public DnsChangeResult {
    previousValues = previousValues == null ? List.of() : List.copyOf(previousValues);
    values = values == null ? List.of() : List.copyOf(values);
  }
}
