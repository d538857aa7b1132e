package dev.cutover.steps.postgres;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A table as a plan names it in {@code tables} or {@code excludeTables}: {@code schema.table}, or a
 * bare {@code table} in any schema; {@code *} and {@code ?} match as in pg_dump's patterns, and
 * double quotes keep dots and case ({@code "My.Schema".t}).
 *
 * @param schema the schema's pattern; {@code null} for any schema
 * @param table the table's pattern
 */
public record PgTablePattern(String schema, String table) {

  public static PgTablePattern parse(String text) {
    List<String> parts = PgQuote.split(text);
    if (parts.size() > 2) {
      throw new IllegalArgumentException("not a table name (schema.table): " + text);
    }
    return parts.size() == 1
        ? new PgTablePattern(null, parts.get(0))
        : new PgTablePattern(parts.get(0), parts.get(1));
  }

  /** Whether it names one table in one schema, with no wildcard. */
  public boolean exact() {
    return schema != null && !wild(schema) && !wild(table);
  }

  public boolean matches(String tableSchema, String tableName) {
    return (schema == null || glob(schema).matcher(tableSchema).matches())
        && glob(table).matcher(tableName).matches();
  }

  /** As a result names tables: {@code schema.table}. */
  public String display() {
    return schema == null ? table : schema + "." + table;
  }

  private static boolean wild(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
  }

  private static Pattern glob(String s) {
    StringBuilder regex = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
