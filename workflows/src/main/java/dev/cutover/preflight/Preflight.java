package dev.cutover.preflight;

import dev.cutover.steps.dns.DnsNames;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsTarget;
import dev.cutover.steps.dns.DnsTargets;
import dev.cutover.plan.Host;
import dev.cutover.steps.proxy.ProxySwitchRequest;
import dev.cutover.steps.proxy.ProxySwitchStep;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Works out from the plan what preflight must check. Pure: runs in workflow code. */
public final class Preflight {
  /** The name preflight has among the steps in status, and that `decide` takes when it blocks. */
  public static final String STEP = "preflight";

  private Preflight() {}

  /** Whether the plan needs preflight: it reaches a host over ssh or uses a kind that acts on hosts. */
  public static boolean needed(Plan plan) {
    if (plan.hosts().values().stream().anyMatch(Host::usesSsh)) {
      return true;
    }
    // Checks and notifications reach no host of the plan: nothing for preflight to look at.
    Set<StepKind> noHost = EnumSet.of(StepKind.RUN, StepKind.WAIT, StepKind.HTTP, StepKind.TLS, StepKind.NOTIFY);
    return allSteps(plan).stream().anyMatch(s -> !noHost.contains(s.kind()));
  }

  public static PreflightRequest request(Plan plan) {
    Map<String, Set<String>> tools = new LinkedHashMap<>();
    Map<String, Boolean> sudo = new LinkedHashMap<>();
    List<PreflightCopy> copies = new ArrayList<>();
    List<PreflightDns> dns = new ArrayList<>();
    List<ProxySwitchRequest> proxies = new ArrayList<>();
    PreflightDatabases databases = new PreflightDatabases(plan);
    for (Step s : allSteps(plan)) {
      for (String h : s.hosts()) {
        tools.computeIfAbsent(h, k -> new LinkedHashSet<>());
        Host host = plan.hosts().get(h);
        if (host != null && host.sudoFor(s.sudo()) && s.kind() != StepKind.WAIT) {
          sudo.put(h, true);
        }
      }
      switch (s.kind()) {
        case RSYNC -> {
          tools.get(s.from()).add("rsync");
          tools.get(s.to()).add("rsync");
          boolean pull = Boolean.TRUE.equals(s.pull());
          Host runner = plan.hosts().get(pull ? s.to() : s.from());
          copies.add(new PreflightCopy(s.name(), s.from(), plan.host(s.from()), s.source(), s.to(), plan.host(s.to()), s.target(),
              pull, s.identity(), runner != null && runner.sudoFor(s.sudo()), s.excludes()));
        }
        case SERVICE -> {
          if (s.unit() != null) {
            tools.get(s.host()).add("systemctl");
          }
        }
        case CRON -> {
          tools.get(s.from()).add("crontab");
          tools.get(s.to()).add("crontab");
        }
        case PUT -> tools.get(s.host()).addAll(List.of("sha256sum", "stat"));
        case PROXY_SWITCH -> {
          // nginx itself is looked for by the proxy check, where the step looks (with sbin on the PATH), or
          // not at all when the step's own test and reload commands stand in for it.
          tools.get(s.host()).add("sha256sum");
          proxies.add(ProxySwitchStep.request(plan, s));
        }
        case DNS_TTL, DNS_SET -> {
          DnsTarget target = DnsTargets.of(plan, s.dns());
          // A hosts file is edited over the host's transport: the host must be reachable like any other.
          target.hostsFiles().forEach(f -> tools.computeIfAbsent(f.hostName(), k -> new LinkedHashSet<>()));
          DnsRecordType type = s.type() == null ? DnsRecordType.A : s.type();
          dns.add(new PreflightDns(s.name(), target, DnsNames.absolute(target.zone(), s.record()), type,
              s.expectValue() == null ? List.of() : List.of(s.expectValue()), s.value() == null ? List.of() : List.of(s.value())));
        }
        default -> {}
      }
      if (s.onDatabases()) {
        databases.add(s);
      }
    }
    // Hosts whose databases are reached with the host's own tools must be reachable and have them.
    databases.hostTools().forEach((host, needed) -> tools.computeIfAbsent(host, k -> new LinkedHashSet<>()).addAll(needed));
    List<PreflightHost> hosts = new ArrayList<>();
    tools.forEach((name, needed) -> hosts.add(new PreflightHost(name, plan.host(name), List.copyOf(needed), sudo.getOrDefault(name, false))));
    return new PreflightRequest(plan.migration(), hosts, copies, databases.databases(), databases.copies(), dns, proxies);
  }

  static List<Step> allSteps(Plan plan) {
    List<Step> all = new ArrayList<>();
    for (PhaseName phase : plan.phases().present()) {
      for (Step s : plan.phases().steps(phase)) {
        all.add(s);
        if (s.undo() != null) {
          all.add(s.undo());
        }
      }
    }
    return all;
  }
}
