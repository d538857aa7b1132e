package dev.cutover.steps.postgres;

import java.util.List;

/**
 * Databases to compare. The endpoints carry secret references only.
 *
 * @param step the step's name in the plan
 * @param source the old database
 * @param target the new database
 * @param tables tables to compare ({@code schema.table}); empty for all
 * @param excludeTables tables left out
 * @param checksums whether content checksums are compared as well as row counts
 */
public record PgVerifyRequest(
    String step,
    PgEndpoint source,
    PgEndpoint target,
    List<String> tables,
    List<String> excludeTables,
    boolean checksums) {

  public PgVerifyRequest {
    tables = tables == null ? List.of() : List.copyOf(tables);
    excludeTables = excludeTables == null ? List.of() : List.copyOf(excludeTables);
  }
}
