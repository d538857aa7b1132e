package dev.cutover.steps.dns;

import dev.cutover.plan.DnsProvider;
import dev.cutover.plan.DnsZone;
import dev.cutover.plan.Host;
import dev.cutover.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds what activities need from a plan's dns entry: secret names become references, host names
 * hosts.
 */
public final class DnsTargets {
  private DnsTargets() {}

  public static DnsTarget of(Plan plan, String name) {
    DnsZone zone = plan.dns().get(name);
    if (zone == null) {
      throw new IllegalArgumentException("unknown dns entry " + name);
    }
    List<DnsHostsFile> files = new ArrayList<>();
    if (zone.provider() == DnsProvider.HOSTS_FILE) {
      String path = zone.path() != null ? zone.path() : DnsZone.DEFAULT_HOSTS_FILE;
      for (String hostName : zone.hosts()) {
        Host host = plan.host(hostName);
        files.add(
            new DnsHostsFile(hostName, host, path, host != null && host.sudoFor(zone.sudo())));
      }
    }
    // The activity gets the secret's reference, never its value.
    String secretRef = zone.tsigSecret() == null ? null : plan.secrets().get(zone.tsigSecret());
    String algorithm =
        zone.tsigAlgorithm() != null ? zone.tsigAlgorithm() : DnsZone.DEFAULT_TSIG_ALGORITHM;
    return new DnsTarget(
        name,
        zone.provider(),
        zone.zone(),
        zone.servers(),
        zone.tsigKey(),
        zone.provider() == DnsProvider.RFC2136 ? algorithm : null,
        secretRef,
        files);
  }
}
