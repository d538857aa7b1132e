package dev.cutover.steps.dns;

import dev.cutover.plan.Plan;
import dev.cutover.steps.PreflightNeeds;
import java.util.List;

/**
 * What dns-ttl and dns-set need checked first: the record's zone, key and value, and a hosts file's
 * hosts.
 */
final class DnsPreflightNeeds {
  private DnsPreflightNeeds() {}

  static void record(
      PreflightNeeds needs,
      Plan plan,
      String step,
      String entry,
      String record,
      DnsRecordType type,
      String expectValue,
      String value) {
    DnsTarget target = DnsTargets.of(plan, entry);
    // A hosts file is edited over the host's transport: the host must be reachable like any other.
    target.hostsFiles().forEach(f -> needs.tools(f.hostName()));
    needs.dns(
        step,
        target,
        DnsNames.absolute(target.zone(), record),
        type,
        expectValue == null ? List.of() : List.of(expectValue),
        value == null ? List.of() : List.of(value));
  }
}
