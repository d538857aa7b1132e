package dev.cutover.steps.dns;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.time.Duration;

/**
 * The fields of a {@code dns-wait} step: wait until every authoritative server answers a value
 * someone else sets (the DNS team, a provider's console).
 */
public record DnsWaitSpec(
    @Doc(
            "The entry (from dns) that holds the record; every server it names (or the zone's NS records name) must answer.")
        String dns,
    @Doc(
            "The record's name, absolute (www.example.org) or relative to the zone (www, @); for hosts-file, the host name as the file lists it.")
        String record,
    @Doc("The record's type: A (default), AAAA or CNAME.") DnsRecordType type,
    @Doc("The value to wait for: an address, or a name for CNAME.") String value,
    @Doc("How often the servers are asked (default 1s).") Duration interval)
    implements StepSpec {
  public DnsRecordType typeOrDefault() {
    return DnsRecordType.orDefault(type);
  }

  @Override
  public String placeText() {
    return DnsChecks.place(dns, record);
  }

  /** It changes nothing, so it cannot put anything back. */
  @Override
  public boolean canUndo() {
    return false;
  }

  @Override
  public void validate(SpecCheck c) {
    DnsChecks.record(c, dns, record, interval);
    c.require("value", value, "the value to wait for");
    DnsChecks.value(c, "value", typeOrDefault(), value);
  }
}
