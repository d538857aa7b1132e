package dev.cutover.steps.postgres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a query returned: its column names and at most the first few rows as text (enough to show
 * why a check failed), since the result is part of the history.
 *
 * @param columns the column names
 * @param rows the first rows, each a list of values in column order ({@code null} for SQL NULL)
 * @param rowCount how many rows the query returned in all
 * @param truncated whether {@code rows} holds fewer rows than {@code rowCount}
 * @param matched whether the result met the expectation
 */
public record SqlCheckResult(
    List<String> columns,
    List<List<String>> rows,
    long rowCount,
    boolean truncated,
    boolean matched) {

  public SqlCheckResult {
    columns = columns == null ? List.of() : List.copyOf(columns);
    rows = rows == null ? List.of() : rows.stream().map(SqlCheckResult::copyRow).toList();
  }

  /** An immutable copy that keeps SQL NULLs, which {@code List.copyOf} would refuse. */
  private static List<String> copyRow(List<String> row) {
    return row == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(row));
  }
}
