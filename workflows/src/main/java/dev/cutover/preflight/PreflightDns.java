package dev.cutover.preflight;

import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsTarget;
import java.util.List;

/**
 * A DNS record a step will change: the zone must be served by every server named, the TSIG key
 * accepted for updates, and the record as the plan expects, before anything changes.
 *
 * @param step the step's name in the plan
 * @param target where the record lives
 * @param name the record's name, absolute or relative to the zone
 * @param type the record's type
 * @param expectedValues values the record may have now (the plan's expectValue); empty for no check
 * @param newValues the values the step sets (a record already holding them is fine); empty for a
 *     TTL change, which needs the record to exist
 */
public record PreflightDns(
    String step,
    DnsTarget target,
    String name,
    DnsRecordType type,
    List<String> expectedValues,
    List<String> newValues) {

  public PreflightDns {
    expectedValues = expectedValues == null ? List.of() : List.copyOf(expectedValues);
    newValues = newValues == null ? List.of() : List.copyOf(newValues);
  }
}
