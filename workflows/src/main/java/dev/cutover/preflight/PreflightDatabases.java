package dev.cutover.preflight;

import dev.cutover.plan.Plan;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgEndpoints;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects what the database steps need of each database, as their handlers say it. Pure: runs in
 * workflow code.
 */
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

  /** A database a step logs in to; names not in the plan are left to the validator. */
  void database(String name) {
    if (name != null && plan.databases().containsKey(name)) {
      needs.computeIfAbsent(name, k -> new Need());
      PgEndpoint e = PgEndpoints.of(plan, name);
      if (e.accessOrDefault() == PgAccess.HOST_TOOLS) {
        hostTools.computeIfAbsent(e.hostName(), k -> new LinkedHashSet<>()).add("psql");
      }
    }
  }

  void subscribe(String name) {
    needs.get(name).subscribes = true;
  }

  void publish(String name, List<String> tables) {
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

  void copy(String step, String from, String to) {
    PgEndpoint source = PgEndpoints.of(plan, from);
    PgEndpoint target = PgEndpoints.of(plan, to);
    String toolsHost = PgEndpoint.toolsHost(source, target);
    if (toolsHost != null) {
      hostTools
          .computeIfAbsent(toolsHost, k -> new LinkedHashSet<>())
          .addAll(List.of("pg_dump", "pg_restore"));
    }
    copies.add(
        new PreflightDbCopy(
            step,
            from,
            source,
            to,
            target,
            toolsHost,
            toolsHost == null ? null : plan.host(toolsHost)));
  }

  List<PreflightDatabase> databases() {
    List<PreflightDatabase> list = new ArrayList<>();
    needs.forEach(
        (name, need) ->
            list.add(
                new PreflightDatabase(
                    name,
                    PgEndpoints.of(plan, name),
                    need.publishes,
                    need.subscribes,
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
