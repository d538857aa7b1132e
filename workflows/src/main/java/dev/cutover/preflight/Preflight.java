package dev.cutover.preflight;

import dev.cutover.plan.Host;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.Created;
import dev.cutover.steps.StepHandler;
import dev.cutover.steps.StepKinds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Works out from the plan what preflight must check, by asking each step's handler what its spec
 * needs ({@link StepHandler#preflightNeeds}). Pure: runs in workflow code.
 */
public final class Preflight {
  /** The name preflight has among the steps in status, and that `decide` takes when it blocks. */
  public static final String STEP = Step.PREFLIGHT;

  private Preflight() {}

  /**
   * Whether the plan needs preflight: it reaches a host over ssh or has a step whose kind needs it.
   */
  public static boolean needed(Plan plan) {
    if (plan.hosts().values().stream().anyMatch(Host::usesSsh)) {
      return true;
    }
    // Checks and notifications reach no host of the plan: nothing for preflight to look at.
    return allSteps(plan).stream()
        .anyMatch(p -> StepKinds.handler(p.step().kind()).needsPreflight());
  }

  public static PreflightRequest request(Plan plan) {
    PreflightCollector needs = new PreflightCollector(plan);
    for (PhasedStep p : allSteps(plan)) {
      Step s = p.step();
      needs.reachable(s.hosts(), s.spec().sudo());
      StepKinds.handler(s.kind()).preflightNeeds(needs, s, s.spec(), p.phase(), plan);
    }
    return needs.request();
  }

  /**
   * {@link #request} split by when: what an earlier step of the plan makes ({@link
   * StepHandler#creates}) is checked just before the step that needs it, and the start says so in a
   * note instead of refusing what cannot exist yet.
   */
  public static PreflightPlan plan(Plan plan) {
    return plan(plan, s -> StepKinds.handler(s.kind()).creates(s.spec()));
  }

  static PreflightPlan plan(Plan plan, Function<Step, List<Created>> creates) {
    // The plan's own steps in the order they run; undo steps keep their needs at the start.
    List<PhasedStep> order = new ArrayList<>();
    plan.phases()
        .present()
        .forEach(
            phase ->
                plan.phases()
                    .stepsWithNested(phase)
                    .forEach(s -> order.add(new PhasedStep(phase, s))));
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < order.size(); i++) {
      index.putIfAbsent(order.get(i).step().name(), i);
    }
    List<Created> created = new ArrayList<>();
    List<Integer> createdAt = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      for (Created thing : creates.apply(order.get(i).step())) {
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
      String maker =
          maker(order, created, createdAt, Created.directory(c.fromName(), c.source()), at);
      if (maker == null) {
        copies.add(c);
        continue;
      }
      Later l = later.computeIfAbsent(c.step(), k -> new Later());
      l.copies.add(c);
      l.hosts.putIfAbsent(
          c.fromName(), new PreflightHost(c.fromName(), c.from(), List.of(), false));
      l.hosts.putIfAbsent(c.toName(), new PreflightHost(c.toName(), c.to(), List.of(), false));
      notes.add(
          new PreflightCheck(
              c.fromName(),
              "source of " + c.step(),
              true,
              c.source()
                  + " is made by step "
                  + maker
                  + ": it is sized, and its target's room checked, just before "
                  + c.step()
                  + " runs"));
    }
    Map<String, PreflightDatabase> byName = new LinkedHashMap<>();
    all.databases().forEach(d -> byName.put(d.name(), d));
    List<PreflightDatabase> databases = new ArrayList<>();
    Set<String> deferredDatabases = new HashSet<>();
    for (PreflightDatabase d : all.databases()) {
      int first = firstMade(created, createdAt, Created.database(d.name()));
      String user = first < 0 ? null : firstUser(plan, order, d.name(), first);
      if (user == null) {
        databases.add(d);
        continue;
      }
      deferredDatabases.add(d.name());
      later.computeIfAbsent(user, k -> new Later()).databases.putIfAbsent(d.name(), d);
      notes.add(
          new PreflightCheck(
              d.endpoint().hostName(),
              "database " + d.name(),
              true,
              d.name()
                  + " is made by step "
                  + order.get(first).step().name()
                  + ": it is checked just before "
                  + user
                  + " runs"));
    }
    List<PreflightDbCopy> dbCopies = new ArrayList<>();
    for (PreflightDbCopy c : all.databaseCopies()) {
      boolean waits =
          deferredDatabases.contains(c.sourceName()) || deferredDatabases.contains(c.targetName());
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
    PreflightRequest atStart =
        new PreflightRequest(
            all.migration(),
            all.hosts(),
            copies,
            databases,
            dbCopies,
            all.dns(),
            all.proxies(),
            notes,
            all.bouncers());
    Map<String, PreflightRequest> before = new LinkedHashMap<>();
    later.forEach(
        (step, l) ->
            before.put(
                step,
                new PreflightRequest(
                    all.migration(),
                    List.copyOf(l.hosts.values()),
                    l.copies,
                    List.copyOf(l.databases.values()),
                    l.dbCopies,
                    List.of(),
                    List.of(),
                    List.of())));
    return new PreflightPlan(atStart, before);
  }

  /** What one step's check just before it holds. */
  private static final class Later {
    final Map<String, PreflightHost> hosts = new LinkedHashMap<>();
    final List<PreflightCopy> copies = new ArrayList<>();
    final Map<String, PreflightDatabase> databases = new LinkedHashMap<>();
    final List<PreflightDbCopy> dbCopies = new ArrayList<>();
  }

  /**
   * The step before {@code at} that makes {@code needed}; {@code null} for none (or a step not in
   * the plan's order).
   */
  private static String maker(
      List<PhasedStep> order,
      List<Created> created,
      List<Integer> createdAt,
      Created needed,
      Integer at) {
    if (at == null) {
      return null;
    }
    for (int i = 0; i < created.size(); i++) {
      if (createdAt.get(i) < at && created.get(i).covers(needed)) {
        return order.get(createdAt.get(i)).step().name();
      }
    }
    return null;
  }

  private static int firstMade(List<Created> created, List<Integer> createdAt, Created thing) {
    for (int i = 0; i < created.size(); i++) {
      if (created.get(i).covers(thing)) {
        return createdAt.get(i);
      }
    }
    return -1;
  }

  /**
   * The first step after {@code after} whose spec names the database (as its preflight needs say);
   * {@code null} for none.
   */
  private static String firstUser(Plan plan, List<PhasedStep> order, String database, int after) {
    for (int i = after + 1; i < order.size(); i++) {
      PhasedStep p = order.get(i);
      PreflightDatabaseNames names = new PreflightDatabaseNames();
      StepKinds.handler(p.step().kind())
          .preflightNeeds(names, p.step(), p.step().spec(), p.phase(), plan);
      if (names.contains(database)) {
        return p.step().name();
      }
    }
    return null;
  }

  /** A step of the plan (or an undo) with the phase it runs in. */
  record PhasedStep(PhaseName phase, Step step) {}

  static List<PhasedStep> allSteps(Plan plan) {
    List<PhasedStep> all = new ArrayList<>();
    for (PhaseName phase : plan.phases().present()) {
      for (Step s : plan.phases().stepsWithNested(phase)) {
        all.add(new PhasedStep(phase, s));
        if (s.undo() != null) {
          all.add(new PhasedStep(phase, s.undo()));
        }
      }
    }
    return all;
  }
}
