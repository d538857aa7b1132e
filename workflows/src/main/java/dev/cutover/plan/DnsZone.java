package dev.cutover.plan;

import java.util.List;

@Doc(
    "Where DNS records are read and changed: a zone on RFC 2136 servers, or the hosts files of some hosts.")
public record DnsZone(
    @Required @Doc("rfc2136 or hosts-file.") DnsProvider provider,
    @Doc("rfc2136: the zone, like example.org.") String zone,
    @Doc(
            "rfc2136: the zone's authoritative servers as host or host:port; updates go to the first (the primary). Default: the primary from the zone's SOA and the servers from its NS records.")
        List<String> servers,
    @Doc("rfc2136: the TSIG key's name, as the server knows it.") String tsigKey,
    @Doc("rfc2136: the TSIG algorithm (default hmac-sha256).") String tsigAlgorithm,
    @Doc("rfc2136: name of the secret (under secrets) holding the TSIG key's base64 secret.")
        String tsigSecret,
    @Doc("hosts-file: the hosts (from hosts) whose hosts file is edited.") List<String> hosts,
    @Doc("hosts-file: the file (default /etc/hosts).") String path,
    @Doc("hosts-file: edit it through `sudo -n` (default: the host's sudo).") Boolean sudo) {

  public static final String DEFAULT_TSIG_ALGORITHM = "hmac-sha256";
  public static final String DEFAULT_HOSTS_FILE = "/etc/hosts";

  public DnsZone {
    servers = servers == null ? List.of() : List.copyOf(servers);
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }
}
