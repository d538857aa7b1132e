package dev.cutover.steps.postgres;

import dev.cutover.plan.Doc;
import dev.cutover.plan.PlanPatterns;
import dev.cutover.plan.SpecCheck;
import java.util.List;

/** The fields of a {@code pg-copy} step: copy a database with pg_dump and pg_restore. */
public record PgCopySpec(
    @Doc("The database (from databases) to copy from.") String from,
    @Doc("The database to copy to.") String to,
    @Doc("Parallel jobs for dump and restore (default 1: one streamed, atomic restore).")
        Integer jobs,
    @Doc(
            "Leave object ownership out (pg_restore --no-owner); objects then belong to the target's user or role.")
        Boolean noOwner,
    @Doc("Leave grants out (pg_restore --no-privileges).") Boolean noPrivileges,
    @Doc("The role the restore runs as and that owns the objects (pg_restore --role).") String role,
    @Doc("Schemas to copy (default all).") List<String> schemas,
    @Doc("Tables to leave out, as schema.table.") List<String> excludeTables)
    implements DatabaseSpec.Pair {
  public PgCopySpec {
    schemas = schemas == null ? List.of() : List.copyOf(schemas);
    excludeTables = excludeTables == null ? List.of() : List.copyOf(excludeTables);
  }

  @Override
  public void validate(SpecCheck c) {
    PgChecks.pair(c, from, to, "copy");
    PgChecks.tables(c, "excludeTables", excludeTables);
    if (jobs != null && jobs < 1) {
      c.report("jobs", "jobs must be at least 1");
    }
    PgChecks.role(c, role);
    for (int i = 0; i < schemas.size(); i++) {
      if (!PlanPatterns.PG_NAME.matcher(schemas.get(i)).matches()) {
        c.report("schemas[" + i + "]", "'" + schemas.get(i) + "' is not a schema name");
      }
    }
  }
}
