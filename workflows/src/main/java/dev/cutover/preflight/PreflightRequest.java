package dev.cutover.preflight;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cutover.steps.proxy.ProxySwitchRequest;
import java.util.List;

/**
 * Everything preflight checks before the first step changes anything.
 *
 * @param proxies the proxy-switch steps, as each will run: its site, link, directory and
 *     configuration test are checked (added after v5: absent, and so empty, in earlier histories)
 * @param notes checks the workflow already knows the answer to, reported with the others: what is
 *     left for just before a step, because an earlier step makes it (added after v5, like proxies)
 * @param bouncers the PgBouncers pg-switch steps hold clients at (added with pg-switch: absent in
 *     earlier histories, and left out of the payload when empty, so requests without one are as
 *     before)
 */
public record PreflightRequest(
    String migration,
    List<PreflightHost> hosts,
    List<PreflightCopy> copies,
    List<PreflightDatabase> databases,
    List<PreflightDbCopy> databaseCopies,
    List<PreflightDns> dns,
    List<ProxySwitchRequest> proxies,
    List<PreflightCheck> notes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PreflightBouncer> bouncers) {
  public PreflightRequest {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
    copies = copies == null ? List.of() : List.copyOf(copies);
    databases = databases == null ? List.of() : List.copyOf(databases);
    databaseCopies = databaseCopies == null ? List.of() : List.copyOf(databaseCopies);
    dns = dns == null ? List.of() : List.copyOf(dns);
    proxies = proxies == null ? List.of() : List.copyOf(proxies);
    notes = notes == null ? List.of() : List.copyOf(notes);
    bouncers = bouncers == null ? List.of() : List.copyOf(bouncers);
  }

  /** A request without PgBouncers. */
  public PreflightRequest(
      String migration,
      List<PreflightHost> hosts,
      List<PreflightCopy> copies,
      List<PreflightDatabase> databases,
      List<PreflightDbCopy> databaseCopies,
      List<PreflightDns> dns,
      List<ProxySwitchRequest> proxies,
      List<PreflightCheck> notes) {
    this(migration, hosts, copies, databases, databaseCopies, dns, proxies, notes, List.of());
  }

  /** A request without proxy-switch steps. */
  public PreflightRequest(
      String migration,
      List<PreflightHost> hosts,
      List<PreflightCopy> copies,
      List<PreflightDatabase> databases,
      List<PreflightDbCopy> databaseCopies,
      List<PreflightDns> dns) {
    this(migration, hosts, copies, databases, databaseCopies, dns, List.of(), List.of());
  }

  /** The same request with these notes. */
  public PreflightRequest withNotes(List<PreflightCheck> value) {
    return new PreflightRequest(
        migration, hosts, copies, databases, databaseCopies, dns, proxies, value, bouncers);
  }
}
