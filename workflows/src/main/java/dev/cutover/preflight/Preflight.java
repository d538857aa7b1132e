package dev.cutover.preflight;

import dev.cutover.steps.dns.DnsNames;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsTarget;
import dev.cutover.steps.dns.DnsTargets;
import dev.cutover.plan.Host;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import dev.cutover.steps.cron.CronSpec;
import dev.cutover.steps.dns.DnsSetSpec;
import dev.cutover.steps.dns.DnsTtlSpec;
import dev.cutover.steps.proxy.ProxySwitchSpec;
import dev.cutover.steps.put.PutSpec;
import dev.cutover.steps.rsync.RsyncSpec;
import dev.cutover.steps.service.ServiceSpec;
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
  public static final String STEP = Step.PREFLIGHT;

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
    PreflightDatabases databases = new PreflightDatabases(plan);
    for (Step s : allSteps(plan)) {
      for (String h : s.hosts()) {
        tools.computeIfAbsent(h, k -> new LinkedHashSet<>());
        Host host = plan.hosts().get(h);
        if (host != null && host.sudoFor(s.spec().sudo())) {
          sudo.put(h, true);
        }
      }
      switch (s.kind()) {
        case RSYNC -> {
          RsyncSpec r = s.spec(RsyncSpec.class);
          tools.get(r.from()).add("rsync");
          tools.get(r.to()).add("rsync");
          boolean pull = r.pullOrDefault();
          Host runner = plan.hosts().get(pull ? r.to() : r.from());
          copies.add(new PreflightCopy(s.name(), r.from(), plan.host(r.from()), r.source(), r.to(), plan.host(r.to()), r.target(),
              pull, r.identity(), runner != null && runner.sudoFor(r.sudo())));
        }
        case SERVICE -> {
          ServiceSpec svc = s.spec(ServiceSpec.class);
          if (svc.unit() != null) {
            tools.get(svc.host()).add("systemctl");
          }
        }
        case CRON -> {
          CronSpec cron = s.spec(CronSpec.class);
          tools.get(cron.from()).add("crontab");
          tools.get(cron.to()).add("crontab");
        }
        case PUT -> tools.get(s.spec(PutSpec.class).host()).addAll(List.of("sha256sum", "stat"));
        case PROXY_SWITCH -> tools.get(s.spec(ProxySwitchSpec.class).host()).addAll(List.of("nginx", "sha256sum"));
        case DNS_TTL -> {
          DnsTtlSpec d = s.spec(DnsTtlSpec.class);
          dns.add(dnsNeed(plan, tools, s.name(), d.dns(), d.record(), d.typeOrDefault(), null, null));
        }
        case DNS_SET -> {
          DnsSetSpec d = s.spec(DnsSetSpec.class);
          dns.add(dnsNeed(plan, tools, s.name(), d.dns(), d.record(), d.typeOrDefault(), d.expectValue(), d.value()));
        }
        default -> {}
      }
      databases.add(s);
    }
    // Hosts whose databases are reached with the host's own tools must be reachable and have them.
    databases.hostTools().forEach((host, needed) -> tools.computeIfAbsent(host, k -> new LinkedHashSet<>()).addAll(needed));
    List<PreflightHost> hosts = new ArrayList<>();
    tools.forEach((name, needed) -> hosts.add(new PreflightHost(name, plan.host(name), List.copyOf(needed), sudo.getOrDefault(name, false))));
    return new PreflightRequest(plan.migration(), hosts, copies, databases.databases(), databases.copies(), dns);
  }

  private static PreflightDns dnsNeed(Plan plan, Map<String, Set<String>> tools, String step, String entry, String record,
      DnsRecordType type, String expectValue, String value) {
    DnsTarget target = DnsTargets.of(plan, entry);
    // A hosts file is edited over the host's transport: the host must be reachable like any other.
    target.hostsFiles().forEach(f -> tools.computeIfAbsent(f.hostName(), k -> new LinkedHashSet<>()));
    return new PreflightDns(step, target, DnsNames.absolute(target.zone(), record), type,
        expectValue == null ? List.of() : List.of(expectValue), value == null ? List.of() : List.of(value));
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
