package dev.cutover.preflight;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgEndpoints;
import dev.cutover.steps.postgres.PgReplicateStep;
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

  void add(Step s) {
    for (String name : new String[] {s.database(), s.from(), s.to()}) {
      if (name != null && plan.databases().containsKey(name)) {
        needs.computeIfAbsent(name, k -> new Need());
        PgEndpoint e = PgEndpoints.of(plan, name);
        if (e.accessOrDefault() == PgAccess.HOST_TOOLS) {
          hostTools.computeIfAbsent(e.hostName(), k -> new LinkedHashSet<>()).add("psql");
        }
      }
    }
    if (s.kind() == StepKind.PG_COPY) {
      copy(s);
    }
    if (s.kind() == StepKind.PG_REPLICATE) {
      boolean start = PgReplicateStep.START.equals(PgReplicateStep.action(s, phaseOf(s)));
      if (start) {
        publish(s.from(), s.tables());
        needs.get(s.to()).subscribes = true;
        if (!Boolean.FALSE.equals(s.copySchema())) {
          copy(s);
        }
      } else if (Boolean.TRUE.equals(s.reverse())) {
        // After the finish the new database publishes and the old one subscribes.
        publish(s.to(), List.of());
        needs.get(s.from()).subscribes = true;
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

  private void copy(Step s) {
    PgEndpoint source = PgEndpoints.of(plan, s.from());
    PgEndpoint target = PgEndpoints.of(plan, s.to());
    String toolsHost = PgEndpoint.toolsHost(source, target);
    if (toolsHost != null) {
      hostTools.computeIfAbsent(toolsHost, k -> new LinkedHashSet<>()).addAll(List.of("pg_dump", "pg_restore"));
    }
    copies.add(new PreflightDbCopy(s.name(), s.from(), source, s.to(), target, toolsHost, toolsHost == null ? null : plan.host(toolsHost)));
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
