package dev.cutover.steps.dns;

import dev.cutover.plan.DnsProvider;
import java.util.List;

/**
 * A plan's {@code dns} entry as activities need it: which provider, and where. {@code
 * tsigSecretRef} is a secret reference such as {@code env:TSIG_SECRET} or {@code
 * file:/etc/cutover/tsig.key}, resolved by the worker; never the key itself.
 *
 * @param name the entry's name in the plan
 * @param provider how records are read and changed
 * @param zone rfc2136: the zone, like {@code example.org}; hosts-file: {@code null}
 * @param servers rfc2136: the authoritative servers as {@code host} or {@code host:port}, the
 *     primary first; empty to take the primary from the zone's SOA and the others from its NS
 *     records
 * @param tsigKeyName rfc2136: the TSIG key's name
 * @param tsigAlgorithm rfc2136: the TSIG algorithm, like {@code hmac-sha256}
 * @param tsigSecretRef rfc2136: reference to the TSIG key's base64 secret
 * @param hostsFiles hosts-file: the files to edit, one per host
 */
public record DnsTarget(
    String name,
    DnsProvider provider,
    String zone,
    List<String> servers,
    String tsigKeyName,
    String tsigAlgorithm,
    String tsigSecretRef,
    List<DnsHostsFile> hostsFiles) {

  public DnsTarget {
    servers = servers == null ? List.of() : List.copyOf(servers);
    hostsFiles = hostsFiles == null ? List.of() : List.copyOf(hostsFiles);
  }
}
