package dev.cutover.steps.dns;

import dev.cutover.plan.DnsProvider;
import dev.cutover.plan.DnsZone;
import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.time.Duration;

/**
 * The fields of a {@code dns-set} step: change a record's value and wait until every server answers
 * it.
 */
public record DnsSetSpec(
    @Doc("The entry (from dns) that holds the record.") String dns,
    @Doc(
            "The record's name, absolute (www.example.org) or relative to the zone (www, @); for hosts-file, the host name as the file lists it.")
        String record,
    @Doc("The record's type: A (default), AAAA or CNAME.") DnsRecordType type,
    @Doc("The TTL to set with the new value (default: keep the record's TTL).") Duration ttl,
    @Doc("The record's new value: an address, or a name for CNAME.") String value,
    @Doc(
            "The value the record must hold before the change; a record holding neither it nor value stops the step before anything changes.")
        String expectValue,
    @Doc("How often the servers are asked while waiting for the new answer (default 1s).")
        Duration interval)
    implements StepSpec {
  public DnsRecordType typeOrDefault() {
    return DnsRecordType.orDefault(type);
  }

  @Override
  public String changesRecordsOf() {
    return dns;
  }

  @Override
  public String placeText() {
    return DnsChecks.place(dns, record);
  }

  @Override
  public void validate(SpecCheck c) {
    DnsZone zone = DnsChecks.record(c, dns, record, interval);
    DnsRecordType t = typeOrDefault();
    c.require("value", value, "the record's new value");
    DnsChecks.value(c, "value", t, value);
    DnsChecks.value(c, "expectValue", t, expectValue);
    DnsChecks.ttl(c, ttl);
    if (zone != null && zone.provider() == DnsProvider.HOSTS_FILE && t == DnsRecordType.CNAME) {
      c.report("type", "a hosts file maps names to addresses; CNAME needs an rfc2136 entry");
    }
  }
}
