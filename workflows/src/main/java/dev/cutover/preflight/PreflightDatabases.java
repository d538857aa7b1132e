package dev.cutover.preflight;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgEndpoints;
import dev.cutover.steps.postgres.PgConnectionsSpec;
import dev.cutover.steps.postgres.PgCopySpec;
import dev.cutover.steps.postgres.PgReplicateSpec;
import dev.cutover.steps.postgres.PgVerifySpec;
import dev.cutover.steps.postgres.SqlSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects from the database steps what preflight checks on each database. Pure: runs in workflow code. */
final class PreflightDatabases {
  private final Plan plan;
  private final Map<String, Need> needs = new LinkedHashMap<>();
  private final List<PreflightDbCopy> copies = new ArrayList<>();
  private final Map<String, Set<String>> hostTools = new LinkedHashMap<>();

  /** What the steps need of one database; tables are those it publishes (empty: all). */
  private static final class Need {
    boolean publishes;
    boolean subscribes;
    final Set<String> tables = new LinkedHashSet<>();
  }

  PreflightDatabases(Plan plan) {
    this.plan = plan;
  }

  /** Adds what a step needs of databases; steps of other kinds need nothing here. */
  void add(Step s) {
    String[] names = new String[0];
    if (s.spec() instanceof PgCopySpec c) {
      names = new String[] {c.from(), c.to()};
    } else if (s.spec() instanceof PgReplicateSpec r) {
      names = new String[] {r.from(), r.to()};
    } else if (s.spec() instanceof PgVerifySpec v) {
      names = new String[] {v.from(), v.to()};
    } else if (s.spec() instanceof SqlSpec q) {
      names = new String[] {q.database()};
    } else if (s.spec() instanceof PgConnectionsSpec c) {
      names = new String[] {c.database()};
    }
    for (String name : names) {
      if (name != null && plan.databases().containsKey(name)) {
        needs.computeIfAbsent(name, k -> new Need());
        PgEndpoint e = PgEndpoints.of(plan, name);
        if (e.accessOrDefault() == PgAccess.HOST_TOOLS) {
          hostTools.computeIfAbsent(e.hostName(), k -> new LinkedHashSet<>()).add("psql");
        }
      }
    }
    if (s.spec() instanceof PgCopySpec c) {
      copy(s.name(), c.from(), c.to());
    }
    if (s.spec() instanceof PgReplicateSpec r) {
      boolean start = PgReplicateSpec.START.equals(r.actionIn(phaseOf(s)));
      if (start) {
        publish(r.from(), r.tables());
        needs.get(r.to()).subscribes = true;
        if (!Boolean.FALSE.equals(r.copySchema())) {
          copy(s.name(), r.from(), r.to());
        }
      } else if (r.reverseOrDefault()) {
        // After the finish the new database publishes and the old one subscribes.
        publish(r.to(), List.of());
        needs.get(r.from()).subscribes = true;
      }
    }
  }

  private void publish(String name, List<String> tables) {
    Need need = needs.get(name);
    // One step publishing everything outweighs another's list: check every table then.
    if (!need.publishes) {
      need.tables.addAll(tables);
    } else if (tables.isEmpty()) {
      need.tables.clear();
    } else if (!need.tables.isEmpty()) {
      need.tables.addAll(tables);
    }
    need.publishes = true;
  }

  private void copy(String step, String from, String to) {
    PgEndpoint source = PgEndpoints.of(plan, from);
    PgEndpoint target = PgEndpoints.of(plan, to);
    String toolsHost = PgEndpoint.toolsHost(source, target);
    if (toolsHost != null) {
      hostTools.computeIfAbsent(toolsHost, k -> new LinkedHashSet<>()).addAll(List.of("pg_dump", "pg_restore"));
    }
    copies.add(new PreflightDbCopy(step, from, source, to, target, toolsHost, toolsHost == null ? null : plan.host(toolsHost)));
  }

  private PhaseName phaseOf(Step step) {
    for (PhaseName phase : plan.phases().present()) {
      for (Step s : plan.phases().steps(phase)) {
        if (s == step || s.undo() == step) {
          return phase;
        }
      }
    }
    return PhaseName.DOWNTIME;
  }

  List<PreflightDatabase> databases() {
    List<PreflightDatabase> list = new ArrayList<>();
    needs.forEach((name, need) -> list.add(new PreflightDatabase(name, PgEndpoints.of(plan, name), need.publishes, need.subscribes,
        List.copyOf(need.tables))));
    return list;
  }

  List<PreflightDbCopy> copies() {
    return List.copyOf(copies);
  }

  /** Tools each host needs for the databases reached through it. */
  Map<String, Set<String>> hostTools() {
    return hostTools;
  }
}
