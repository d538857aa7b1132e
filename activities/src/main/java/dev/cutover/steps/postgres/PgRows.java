package dev.cutover.steps.postgres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a query returned, every value as PostgreSQL's text form ({@code t}/{@code f} for booleans),
 * {@code null} for SQL NULL. JDBC and psql sessions return the same text for the same query.
 *
 * @param columns the column names
 * @param rows the rows kept (all of them unless the caller asked for fewer)
 * @param rowCount how many rows the query returned in all
 */
public record PgRows(List<String> columns, List<List<String>> rows, long rowCount) {

  public PgRows {
    columns = columns == null ? List.of() : List.copyOf(columns);
    // List.copyOf refuses nulls, and NULL is a value here.
    rows =
        rows == null
            ? List.of()
            : rows.stream().map(r -> Collections.unmodifiableList(new ArrayList<>(r))).toList();
  }

  /** All rows kept. */
  public PgRows(List<String> columns, List<List<String>> rows) {
    this(columns, rows, rows == null ? 0 : rows.size());
  }

  public boolean isEmpty() {
    return rowCount == 0;
  }

  /** Whether fewer rows are kept than the query returned. */
  public boolean truncated() {
    return rows.size() < rowCount;
  }

  /**
   * The first column of the first row: the answer of a query like {@code select count(*)}.
   *
   * @throws IllegalStateException when the query returned no row or no column
   */
  public String single() {
    if (rows.isEmpty() || rows.get(0).isEmpty()) {
      throw new IllegalStateException("the query returned no value");
    }
    return rows.get(0).get(0);
  }

  /** {@link #single()} as a number; NULL is 0 (a {@code sum} over no rows). */
  public long singleLong() {
    String value = single();
    return value == null ? 0 : Long.parseLong(value.trim());
  }

  /** The value in {@code row} under {@code column}. */
  public String get(int row, String column) {
    return rows.get(row).get(index(column));
  }

  /** Every kept row's value under {@code column}, in row order. */
  public List<String> column(String column) {
    int i = index(column);
    List<String> values = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      values.add(row.get(i));
    }
    return values;
  }

  private int index(String column) {
    int i = columns.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + column + " in " + columns);
    }
    return i;
  }
}
