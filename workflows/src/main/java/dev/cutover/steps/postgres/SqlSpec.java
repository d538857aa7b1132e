package dev.cutover.steps.postgres;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;

/** The fields of a {@code sql} step: run a query and check its result. */
public record SqlSpec(
    @Doc("The database (from databases) to query.") String database,
    @Doc("The query (recorded in the history: no secrets in it).") String query,
    @Doc("How many rows the query must return.") Integer expectRows,
    @Doc("What the first column of the first row must be, as text.") String expectValue)
    implements DatabaseSpec {
  @Override
  public String placeText() {
    return database;
  }

  @Override
  public void validate(SpecCheck c) {
    c.databaseRef("database", database);
    c.require("database", database, "the database to query");
    c.require("query", query, "the query to run");
    if (expectRows != null && expectRows < 0) {
      c.report("expectRows", "expectRows cannot be negative");
    }
  }
}
