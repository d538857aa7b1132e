package dev.cutover.plan;

/** How a zone's records are changed; more providers (HTTP APIs) fit beside these. */
public enum DnsProvider {
  @Doc(
      "Dynamic updates (RFC 2136) signed with TSIG, to BIND, Knot, PowerDNS or any server that takes them.")
  RFC2136,
  @Doc("Edits the hosts file on the listed hosts, for names an internal network resolves that way.")
  HOSTS_FILE
}
