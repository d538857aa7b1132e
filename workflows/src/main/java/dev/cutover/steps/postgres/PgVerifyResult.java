package dev.cutover.steps.postgres;

import java.util.List;

/**
 * The comparison of every table.
 *
 * @param tables every table compared
 * @param mismatched the names of the tables that differ; empty when the databases match
 * @param durationMillis how long the comparison took
 */
public record PgVerifyResult(
    List<PgTableComparison> tables, List<String> mismatched, long durationMillis) {

  public PgVerifyResult {
    tables = tables == null ? List.of() : List.copyOf(tables);
    mismatched = mismatched == null ? List.of() : List.copyOf(mismatched);
  }
}
