package dev.cutover.steps.dns;

import dev.cutover.plan.DnsZone;
import dev.cutover.plan.PlanPatterns;
import dev.cutover.plan.SpecCheck;
import java.time.Duration;
import java.util.TreeSet;

/**
 * The checks dns-ttl and dns-set share: the entry and record they name, TTLs and values by type.
 */
final class DnsChecks {
  private DnsChecks() {}

  /** Checks the entry and record; returns the entry, or null when it is not in the plan. */
  static DnsZone record(SpecCheck c, String dns, String record, Duration interval) {
    c.require("dns", dns, "the dns entry (from dns) that holds the record");
    c.require("record", record, "the record's name, like www");
    DnsZone zone = dns == null ? null : c.plan().dns().get(dns);
    if (dns != null && zone == null) {
      c.report(
          "dns",
          "unknown dns entry '"
              + dns
              + "'; "
              + (c.plan().dns().isEmpty()
                  ? "this plan declares no dns entries"
                  : "dns entries in this plan: "
                      + String.join(", ", new TreeSet<>(c.plan().dns().keySet()))));
    }
    if (record != null && !"@".equals(record) && !PlanPatterns.DNS_NAME.matcher(record).matches()) {
      c.report("record", "'" + record + "' is not a DNS name");
    }
    c.positive("interval", interval);
    return zone;
  }

  static void ttl(SpecCheck c, Duration ttl) {
    if (ttl != null
        && (ttl.isNegative()
            || ttl.toSeconds() < 1
            || ttl.toSeconds() > Integer.MAX_VALUE
            || ttl.toMillis() % 1000 != 0)) {
      c.report("ttl", "a TTL is a whole number of seconds, at least 1s");
    }
  }

  static void value(SpecCheck c, String field, DnsRecordType type, String value) {
    if (value == null) {
      return;
    }
    boolean ok =
        switch (type) {
          case A -> PlanPatterns.IPV4.matcher(value).matches();
          case AAAA -> PlanPatterns.IPV6.matcher(value).matches();
          case CNAME -> PlanPatterns.DNS_NAME.matcher(value).matches();
        };
    if (!ok) {
      c.report(
          field,
          "'"
              + value
              + "' is not "
              + switch (type) {
                case A -> "an IPv4 address";
                case AAAA -> "an IPv6 address";
                case CNAME -> "a DNS name";
              }
              + " (the record's type is "
              + type
              + ")");
    }
  }

  static String place(String dns, String record) {
    return dns == null ? null : dns + (record == null ? "" : " " + record);
  }
}
