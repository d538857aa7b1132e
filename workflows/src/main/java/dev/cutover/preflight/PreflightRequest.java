package dev.cutover.preflight;

import dev.cutover.steps.proxy.ProxySwitchRequest;
import java.util.List;

/**
 * Everything preflight checks before the first step changes anything.
 *
 * @param proxies the proxy-switch steps, as each will run: its site, link, directory and
 *     configuration test are checked (added after v5: absent, and so empty, in earlier histories)
 */
public record PreflightRequest(
    String migration,
    List<PreflightHost> hosts,
    List<PreflightCopy> copies,
    List<PreflightDatabase> databases,
    List<PreflightDbCopy> databaseCopies,
    List<PreflightDns> dns,
    List<ProxySwitchRequest> proxies) {
  public PreflightRequest {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
    copies = copies == null ? List.of() : List.copyOf(copies);
    databases = databases == null ? List.of() : List.copyOf(databases);
    databaseCopies = databaseCopies == null ? List.of() : List.copyOf(databaseCopies);
    dns = dns == null ? List.of() : List.copyOf(dns);
    proxies = proxies == null ? List.of() : List.copyOf(proxies);
  }

  /** A request without proxy-switch steps. */
  public PreflightRequest(String migration, List<PreflightHost> hosts, List<PreflightCopy> copies, List<PreflightDatabase> databases,
      List<PreflightDbCopy> databaseCopies, List<PreflightDns> dns) {
    this(migration, hosts, copies, databases, databaseCopies, dns, List.of());
  }
}
