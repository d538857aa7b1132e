package dev.cutover.steps.postgres;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import java.util.List;

/** The fields of a {@code pg-verify} step: compare two databases. */
public record PgVerifySpec(
    @Doc("The database (from databases) copied from.") String from,
    @Doc("The database copied to.") String to,
    @Doc("Tables to compare, as schema.table (default all).") List<String> tables,
    @Doc("Tables to leave out, as schema.table.") List<String> excludeTables,
    @Doc("Compare a checksum of every table's content as well as its row count (default true).")
        Boolean checksums)
    implements DatabaseSpec.Pair {
  public PgVerifySpec {
    tables = tables == null ? List.of() : List.copyOf(tables);
    excludeTables = excludeTables == null ? List.of() : List.copyOf(excludeTables);
  }

  public boolean checksumsOrDefault() {
    return !Boolean.FALSE.equals(checksums);
  }

  @Override
  public void validate(SpecCheck c) {
    PgChecks.pair(c, from, to, "compare");
    PgChecks.tables(c, "tables", tables);
    PgChecks.tables(c, "excludeTables", excludeTables);
  }
}
