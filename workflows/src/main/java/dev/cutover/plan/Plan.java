package dev.cutover.plan;

import java.util.List;
import java.util.Map;

/**
 * A migration plan as written by an operator. It travels as the workflow's input, so it holds
 * secret references only, never secret values.
 */
@Doc("A cutover migration plan.")
public record Plan(
    @Required
        @Doc(
            "Name of the migration: lower case letters, digits and hyphens; the workflow id is cutover-NAME unless start --id says otherwise.")
        String migration,
    @Doc("Free text shown in status and reports.") String description,
    @Required @Doc("The hosts the plan acts on, by the name steps use.") Map<String, Host> hosts,
    @Doc("PostgreSQL databases the steps act on, by the name steps use.")
        Map<String, Database> databases,
    @Doc(
            "DNS zones (rfc2136) or hosts files (hosts-file) that dns-ttl and dns-set steps change, by the name steps use.")
        Map<String, DnsZone> dns,
    @Doc(
            "Secrets by reference: env:NAME or file:/path. Resolved in the worker, never stored in history.")
        Map<String, String> secrets,
    @Doc("When the downtime may start and how long it may last.") Window window,
    @Doc("Approvals a person gives before a phase starts.") List<Gate> gates,
    @Doc(
            "Who may sign approvals: allowed_signers lines as git's SSH signing writes them (principal, options, key type, key, comment).")
        List<String> approvers,
    @Required @Doc("The phases to run; any may be left out.") Phases phases,
    @Doc(
            "Notifications by webhook and e-mail on gates, blocked steps, downtime and the end of the run; also where notify steps send.")
        Notifications notifications) {

  public Plan {
    // File order is kept: preview, status and messages list hosts as the operator wrote them.
    hosts =
        hosts == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hosts));
    databases =
        databases == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(databases));
    dns =
        dns == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dns));
    secrets =
        secrets == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(secrets));
    gates = gates == null ? List.of() : List.copyOf(gates);
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
  }

  /**
   * The host by its name, with what lives elsewhere in the plan filled in (its jump host, its key's
   * passphrase reference), as activities need it; {@code null} for no such host.
   */
  public Host host(String name) {
    return host(name, 0);
  }

  private Host host(String name, int depth) {
    Host h = name == null ? null : hosts.get(name);
    if (h == null) {
      return null;
    }
    // The validator refuses jump cycles; the bound keeps a hand-built plan from recursing forever.
    Host jump = h.jump() == null || depth > hosts.size() ? null : host(h.jump(), depth + 1);
    String passphrase = h.passphraseSecret() == null ? null : secrets.get(h.passphraseSecret());
    return h.resolved(jump, passphrase);
  }
}
