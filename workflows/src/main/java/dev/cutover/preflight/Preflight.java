package dev.cutover.preflight;

import dev.cutover.steps.dns.DnsNames;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsTarget;
import dev.cutover.steps.dns.DnsTargets;
import dev.cutover.steps.rsync.RsyncRunner;
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
import java.util.function.Function;

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
          Host runner = plan.hosts().get(RsyncRunner.onTarget(plan.host(s.from()), plan.host(s.to()), pull) ? s.to() : s.from());
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
    return new PreflightRequest(plan.migration(), hosts, copies, databases.databases(), databases.copies(), dns, proxies, List.of());
  }

  /**
   * {@link #request} split by when: what an earlier step of the plan makes (see {@link Creations})
   * is checked just before the step that needs it, and the start says so in a note instead of
   * refusing what cannot exist yet.
   */
  public static PreflightPlan plan(Plan plan) {
    return plan(plan, Creations::of);
  }

  static PreflightPlan plan(Plan plan, Function<Step, List<String>> creates) {
    // The plan's own steps in the order they run; undo steps keep their needs at the start.
    List<Step> order = new ArrayList<>();
    plan.phases().present().forEach(phase -> order.addAll(plan.phases().steps(phase)));
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < order.size(); i++) {
      index.putIfAbsent(order.get(i).name(), i);
    }
    List<String> created = new ArrayList<>();
    List<Integer> createdAt = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      for (String thing : creates.apply(order.get(i))) {
        created.add(thing);
        createdAt.add(i);
      }
    }
    if (created.isEmpty()) {
      return new PreflightPlan(null, Map.of());
    }
    PreflightRequest all = request(plan);
    Map<String, Later> later = new LinkedHashMap<>();
    List<PreflightCheck> notes = new ArrayList<>();
    List<PreflightCopy> copies = new ArrayList<>();
    for (PreflightCopy c : all.copies()) {
      Integer at = index.get(c.step());
      String maker = maker(order, created, createdAt, Creations.path(c.fromName(), c.source()), at);
      if (maker == null) {
        copies.add(c);
        continue;
      }
      Later l = later.computeIfAbsent(c.step(), k -> new Later());
      l.copies.add(c);
      l.hosts.putIfAbsent(c.fromName(), new PreflightHost(c.fromName(), c.from(), List.of(), false));
      l.hosts.putIfAbsent(c.toName(), new PreflightHost(c.toName(), c.to(), List.of(), false));
      notes.add(new PreflightCheck(c.fromName(), "source of " + c.step(), true, c.source() + " is made by step " + maker
          + ": it is sized, and its target's room checked, just before " + c.step() + " runs"));
    }
    Map<String, PreflightDatabase> byName = new LinkedHashMap<>();
    all.databases().forEach(d -> byName.put(d.name(), d));
    List<PreflightDatabase> databases = new ArrayList<>();
    java.util.Set<String> deferredDatabases = new java.util.HashSet<>();
    for (PreflightDatabase d : all.databases()) {
      String key = Creations.database(d.name());
      int first = firstMade(created, createdAt, key);
      String user = first < 0 ? null : firstUser(order, d.name(), first);
      if (user == null) {
        databases.add(d);
        continue;
      }
      deferredDatabases.add(d.name());
      later.computeIfAbsent(user, k -> new Later()).databases.putIfAbsent(d.name(), d);
      notes.add(new PreflightCheck(d.endpoint().hostName(), "database " + d.name(), true, d.name() + " is made by step "
          + order.get(first).name() + ": it is checked just before " + user + " runs"));
    }
    List<PreflightDbCopy> dbCopies = new ArrayList<>();
    for (PreflightDbCopy c : all.databaseCopies()) {
      boolean waits = deferredDatabases.contains(c.sourceName()) || deferredDatabases.contains(c.targetName());
      if (!waits || !index.containsKey(c.step())) {
        dbCopies.add(c);
        continue;
      }
      Later l = later.computeIfAbsent(c.step(), k -> new Later());
      l.dbCopies.add(c);
      // The copy compares the two servers' versions, so both are logged in to just before it.
      l.databases.putIfAbsent(c.sourceName(), byName.get(c.sourceName()));
      l.databases.putIfAbsent(c.targetName(), byName.get(c.targetName()));
    }
    if (later.isEmpty()) {
      return new PreflightPlan(null, Map.of());
    }
    PreflightRequest atStart = new PreflightRequest(all.migration(), all.hosts(), copies, databases, dbCopies, all.dns(), all.proxies(),
        notes);
    Map<String, PreflightRequest> before = new LinkedHashMap<>();
    later.forEach((step, l) -> before.put(step, new PreflightRequest(all.migration(), List.copyOf(l.hosts.values()), l.copies,
        List.copyOf(l.databases.values()), l.dbCopies, List.of(), List.of(), List.of())));
    return new PreflightPlan(atStart, before);
  }

  /** What one step's check just before it holds. */
  private static final class Later {
    final Map<String, PreflightHost> hosts = new LinkedHashMap<>();
    final List<PreflightCopy> copies = new ArrayList<>();
    final Map<String, PreflightDatabase> databases = new LinkedHashMap<>();
    final List<PreflightDbCopy> dbCopies = new ArrayList<>();
  }

  /** The step before {@code at} that makes {@code needed}; {@code null} for none (or a step not in the plan's order). */
  private static String maker(List<Step> order, List<String> created, List<Integer> createdAt, String needed, Integer at) {
    if (at == null) {
      return null;
    }
    for (int i = 0; i < created.size(); i++) {
      if (createdAt.get(i) < at && Creations.covers(created.get(i), needed)) {
        return order.get(createdAt.get(i)).name();
      }
    }
    return null;
  }

  private static int firstMade(List<String> created, List<Integer> createdAt, String key) {
    for (int i = 0; i < created.size(); i++) {
      if (created.get(i).equals(key)) {
        return createdAt.get(i);
      }
    }
    return -1;
  }

  /** The first step after {@code after} that names the database; {@code null} for none. */
  private static String firstUser(List<Step> order, String database, int after) {
    for (int i = after + 1; i < order.size(); i++) {
      Step s = order.get(i);
      if (s.onDatabases() && (database.equals(s.database()) || database.equals(s.from()) || database.equals(s.to()))) {
        return s.name();
      }
    }
    return null;
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
