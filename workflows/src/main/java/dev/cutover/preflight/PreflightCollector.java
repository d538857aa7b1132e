package dev.cutover.preflight;

import dev.cutover.plan.Host;
import dev.cutover.plan.Plan;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsTarget;
import dev.cutover.steps.pgswitch.PgBouncerSpec;
import dev.cutover.steps.proxy.ProxySwitchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gathers what the steps' handlers say they need into one preflight request. Pure: runs in workflow
 * code.
 */
final class PreflightCollector implements PreflightNeeds {
  private final Plan plan;
  private final Map<String, Set<String>> tools = new LinkedHashMap<>();
  private final Map<String, Boolean> sudo = new LinkedHashMap<>();
  private final List<PreflightCopy> copies = new ArrayList<>();
  private final List<PreflightDns> dns = new ArrayList<>();
  private final List<ProxySwitchRequest> proxies = new ArrayList<>();
  private final List<PreflightBouncer> bouncers = new ArrayList<>();
  private final PreflightDatabases databases;

  PreflightCollector(Plan plan) {
    this.plan = plan;
    this.databases = new PreflightDatabases(plan);
  }

  /** A step's hosts: each reachable, and checked for sudo where the step runs through it. */
  void reachable(List<String> hosts, Boolean stepSudo) {
    for (String h : hosts) {
      tools.computeIfAbsent(h, k -> new LinkedHashSet<>());
      Host host = plan.hosts().get(h);
      if (host != null && host.sudoFor(stepSudo)) {
        sudo.put(h, true);
      }
    }
  }

  @Override
  public void tools(String host, String... needed) {
    tools.computeIfAbsent(host, k -> new LinkedHashSet<>()).addAll(List.of(needed));
  }

  @Override
  public void copy(
      String step,
      String from,
      String source,
      String to,
      String target,
      boolean pull,
      String identity,
      boolean sudo,
      List<String> excludes) {
    copies.add(
        new PreflightCopy(
            step,
            from,
            plan.host(from),
            source,
            to,
            plan.host(to),
            target,
            pull,
            identity,
            sudo,
            excludes));
  }

  @Override
  public void proxySwitch(ProxySwitchRequest request) {
    proxies.add(request);
  }

  @Override
  public void dns(
      String step,
      DnsTarget target,
      String name,
      DnsRecordType type,
      List<String> expectedValues,
      List<String> newValues) {
    dns.add(new PreflightDns(step, target, name, type, expectedValues, newValues));
  }

  @Override
  public void database(String name) {
    databases.database(name);
  }

  @Override
  public void publishes(String database, List<String> tables) {
    databases.publish(database, tables);
  }

  @Override
  public void subscribes(String database) {
    databases.subscribe(database);
  }

  @Override
  public void databaseCopy(String step, String from, String to) {
    databases.copy(step, from, to);
  }

  @Override
  public void bouncer(String step, PgBouncerSpec bouncer, Boolean stepSudo) {
    Host host = plan.hosts().get(bouncer.host());
    // The file is read and replaced with these on the bouncer's host.
    tools(bouncer.host(), "sha256sum", "base64");
    String ref =
        bouncer.adminPasswordSecret() == null
            ? null
            : plan.secrets().get(bouncer.adminPasswordSecret());
    bouncers.add(
        new PreflightBouncer(
            step, bouncer, plan.host(bouncer.host()), ref, host != null && host.sudoFor(stepSudo)));
  }

  PreflightRequest request() {
    // Hosts whose databases are reached with the host's own tools must be reachable and have them.
    databases
        .hostTools()
        .forEach(
            (host, needed) ->
                tools.computeIfAbsent(host, k -> new LinkedHashSet<>()).addAll(needed));
    List<PreflightHost> hosts = new ArrayList<>();
    tools.forEach(
        (name, needed) ->
            hosts.add(
                new PreflightHost(
                    name, plan.host(name), List.copyOf(needed), sudo.getOrDefault(name, false))));
    return new PreflightRequest(
        plan.migration(),
        hosts,
        copies,
        databases.databases(),
        databases.copies(),
        dns,
        proxies,
        List.of(),
        bouncers);
  }
}
