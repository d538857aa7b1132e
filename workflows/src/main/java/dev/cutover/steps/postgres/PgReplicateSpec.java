package dev.cutover.steps.postgres;

import dev.cutover.plan.Doc;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.SpecCheck;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fields of a {@code pg-replicate} step: start or finish a logical replication between two
 * databases.
 */
public record PgReplicateSpec(
    @Doc("The database (from databases) to replicate from.") String from,
    @Doc("The database to replicate to.") String to,
    @Doc("start (default in prepare, lower-ttl and presync) or finish (default later).")
        String action,
    @Doc("The publication's name on the from database (default cutover_MIGRATION_FROM_TO).")
        String publication,
    @Doc(
            "The subscription's name on the to database, also its slot's name (default as the publication).")
        String subscription,
    @Doc("start: tables to replicate, as schema.table (default all).") List<String> tables,
    @Doc("start: copy the schema to the to database first (default true).") Boolean copySchema,
    @Doc("finish: copy sequence values, which logical replication does not carry (default true).")
        Boolean copySequences,
    @Doc(
            "finish: then replicate back from the to database to the from database without an initial copy, so a rollback after go-live loses nothing.")
        Boolean reverse,
    @Doc(
            "start: leave object ownership out of the schema copy (pg_restore --no-owner); objects then belong to the target's user or role.")
        Boolean noOwner,
    @Doc("start: leave grants out of the schema copy (pg_restore --no-privileges).")
        Boolean noPrivileges,
    @Doc("start: the role the schema copy runs as and that owns the objects (pg_restore --role).")
        String role)
    implements DatabaseSpec.Pair {
  public static final String START = "start";
  public static final String FINISH = "finish";
  public static final List<String> ACTIONS = List.of(START, FINISH);

  /** Publication and subscription names: PostgreSQL identifiers cutover never needs to quote. */
  static final Pattern PG_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public PgReplicateSpec {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  /**
   * The action the step takes: the plan's, else start before the downtime and finish from it on.
   */
  public String actionIn(PhaseName phase) {
    if (action != null) {
      return action;
    }
    return phase == PhaseName.PREPARE || phase == PhaseName.LOWER_TTL || phase == PhaseName.PRESYNC
        ? START
        : FINISH;
  }

  public boolean reverseOrDefault() {
    return Boolean.TRUE.equals(reverse);
  }

  @Override
  public void validate(SpecCheck c) {
    PgChecks.pair(c, from, to, "replicate");
    PgChecks.tables(c, "tables", tables);
    if (action != null && !ACTIONS.contains(action)) {
      c.report("action", "'" + action + "' is not a pg-replicate action; use start or finish");
    }
    for (String[] field :
        new String[][] {{"publication", publication}, {"subscription", subscription}}) {
      if (field[1] != null && !PG_IDENTIFIER.matcher(field[1]).matches()) {
        c.report(
            field[0],
            "'"
                + field[1]
                + "' is not a valid name: lower case letters, digits and '_', at most 63");
      }
    }
    PgChecks.role(c, role);
    if (!c.isUndo() && from != null && to != null) {
      checkAction(c);
    }
  }

  /** A finish needs a start before it in the plan, and each action takes only its own fields. */
  private void checkAction(SpecCheck c) {
    Set<String> started = c.shared(PgReplicateSpec.class, HashSet::new);
    String taken = actionIn(c.phase());
    if (START.equals(taken)) {
      onlyFor(c, FINISH, "copySequences", copySequences);
      onlyFor(c, FINISH, "reverse", reverse);
      started.add(from + " -> " + to);
    } else if (FINISH.equals(taken)) {
      onlyFor(c, START, "copySchema", copySchema);
      onlyFor(c, START, "tables", tables.isEmpty() ? null : tables);
      onlyFor(c, START, "noOwner", noOwner);
      onlyFor(c, START, "noPrivileges", noPrivileges);
      onlyFor(c, START, "role", role);
      if (!started.remove(from + " -> " + to)) {
        c.report(
            null,
            "this pg-replicate step finishes a replication from "
                + from
                + " to "
                + to
                + (action == null ? " (the default in phase " + c.phase().yamlName() + ")" : "")
                + ", but no pg-replicate step before it starts one; add a step with action: start (the default in prepare and presync)");
      }
      if (reverseOrDefault()) {
        started.add(to + " -> " + from);
      }
    }
  }

  private static void onlyFor(SpecCheck c, String action, String field, Object value) {
    if (value != null) {
      c.report(
          field,
          "field '"
              + field
              + "' applies to a pg-replicate "
              + action
              + " step; this one "
              + (action.equals(START) ? "finishes" : "starts")
              + " a replication");
    }
  }
}
