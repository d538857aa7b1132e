package dev.cutover.preflight;

import java.util.List;

/** Everything preflight checks before the first step changes anything. */
public record PreflightRequest(
    String migration,
    List<PreflightHost> hosts,
    List<PreflightCopy> copies,
    List<PreflightDatabase> databases,
    List<PreflightDbCopy> databaseCopies,
    List<PreflightDns> dns) {
  public PreflightRequest {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
    copies = copies == null ? List.of() : List.copyOf(copies);
    databases = databases == null ? List.of() : List.copyOf(databases);
    databaseCopies = databaseCopies == null ? List.of() : List.copyOf(databaseCopies);
    dns = dns == null ? List.of() : List.copyOf(dns);
  }
}
