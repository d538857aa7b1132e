package dev.cutover.steps.dns;

import dev.cutover.plan.DnsProvider;
import dev.cutover.plan.DnsZone;
import dev.cutover.plan.Doc;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.time.Duration;

/**
 * The fields of a {@code dns-ttl} step: lower a record's TTL; the finish phase puts the old one
 * back.
 */
public record DnsTtlSpec(
    @Doc("The entry (from dns) that holds the record.") String dns,
    @Doc("The record's name, absolute (www.example.org) or relative to the zone (www, @).")
        String record,
    @Doc("The record's type: A (default), AAAA or CNAME.") DnsRecordType type,
    @Doc("The TTL to set.") Duration ttl,
    @Doc("How often the servers are asked while waiting for the new TTL (default 1s).")
        Duration interval)
    implements StepSpec {
  /**
   * The name of the step the finish phase restores a dns-ttl step's TTL as: the step's name and
   * this.
   */
  public static final String RESTORE_SUFFIX = "-restore";

  public DnsRecordType typeOrDefault() {
    return DnsRecordType.orDefault(type);
  }

  @Override
  public boolean leavesFinishWork() {
    return true;
  }

  @Override
  public boolean readsOldTtl() {
    return true;
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
    c.require("ttl", ttl, "the TTL to set, like 60s");
    DnsChecks.ttl(c, ttl);
    if (zone != null && zone.provider() == DnsProvider.HOSTS_FILE) {
      c.report(
          "dns",
          "dns entry '"
              + dns
              + "' is a hosts file, which has no TTL; dns-ttl needs an rfc2136 entry");
    }
    String name = c.step().name();
    if (name != null
        && c.plan().phases().present().stream()
            .flatMap(p -> c.plan().phases().stepsWithNested(p).stream())
            .anyMatch(other -> (name + RESTORE_SUFFIX).equals(other.name()))) {
      c.report(
          "name",
          "the finish phase restores this TTL as step '"
              + name
              + RESTORE_SUFFIX
              + "'; another step has that name, rename one of them");
    }
    if (!c.plan().phases().has(PhaseName.FINISH)) {
      c.report(
          null,
          "dns-ttl lowers a TTL that the finish phase puts back; add a finish phase (its steps may be empty)");
    }
  }
}
