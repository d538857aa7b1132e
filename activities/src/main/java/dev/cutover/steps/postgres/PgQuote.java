package dev.cutover.steps.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * Quoting for values from the plan that reach SQL: every identifier and literal goes through this,
 * so a table named {@code "Order"} or a value holding a quote cannot change the statement.
 */
public final class PgQuote {
  private PgQuote() {}

  /** An identifier, always double-quoted, so case and reserved words are kept as written. */
  public static String ident(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("an SQL identifier cannot be empty");
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /**
   * A string literal. Backslashes get the {@code E''} form, so the value is the same whatever the
   * server's {@code standard_conforming_strings}.
   */
  public static String literal(String value) {
    if (value == null) {
      return "NULL";
    }
    String quoted = value.replace("'", "''");
    if (quoted.contains("\\")) {
      return "E'" + quoted.replace("\\", "\\\\") + "'";
    }
    return "'" + quoted + "'";
  }

  /**
   * {@code schema.table} as {@code "schema"."table"}; a name without a schema stays one identifier.
   */
  public static String qualified(String name) {
    List<String> parts = split(name);
    return parts.stream().map(PgQuote::ident).reduce((a, b) -> a + "." + b).orElseThrow();
  }

  /**
   * The parts of a dotted name as written in a plan: {@code public.log} is {@code [public, log]},
   * {@code "my.schema"."Log"} is {@code [my.schema, Log]} (double quotes keep dots and case).
   */
  public static List<String> split(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an SQL name cannot be empty");
    }
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < name.length() && name.charAt(i + 1) == '"') {
          part.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          part.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '.') {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unbalanced double quote in " + name);
    }
    parts.add(part.toString());
    if (parts.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("empty part in the SQL name " + name);
    }
    return List.copyOf(parts);
  }
}
