package dev.cutover.steps.dns;

import java.time.Duration;
import java.util.List;

/**
 * A record's new values.
 *
 * @param step the step's name in the plan
 * @param target where the record lives
 * @param name the record's name, absolute or relative to the zone
 * @param type the record's type
 * @param values the new values (addresses, or one name for CNAME); empty removes the record (how
 *     the undo of a record that did not exist before puts things back)
 * @param ttl the TTL to set with them; {@code null} to keep the current one (300s for a new record)
 * @param expectedValues the values the record must have before the change; empty for no check. A
 *     record holding neither these nor {@code values} stops the step before anything is changed
 *     ({@code StateConflict}), and a record already holding {@code values} is left as it is
 */
public record DnsSetRequest(
    String step,
    DnsTarget target,
    String name,
    DnsRecordType type,
    List<String> values,
    Duration ttl,
    List<String> expectedValues) {

  public DnsSetRequest {
    values = values == null ? List.of() : List.copyOf(values);
    expectedValues = expectedValues == null ? List.of() : List.copyOf(expectedValues);
  }
}
