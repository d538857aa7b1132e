package dev.cutover.steps.postgres;

import dev.cutover.plan.PlanPatterns;
import dev.cutover.plan.SpecCheck;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks the PostgreSQL kinds share: a pair of databases, tables as schema.table, role names.
 */
final class PgChecks {
  /** A table as schema.table (pg_dump -T also takes * and ? patterns). */
  static final Pattern PG_TABLE =
      Pattern.compile("[A-Za-z_*?][A-Za-z0-9_$*?-]{0,62}\\.[A-Za-z_*?][A-Za-z0-9_$*?-]{0,62}");

  private PgChecks() {}

  static void pair(SpecCheck c, String from, String to, String what) {
    c.databaseRef("from", from);
    c.databaseRef("to", to);
    c.require("from", from, "the database to " + what + " from");
    c.require("to", to, "the database to " + what + " to");
    if (from != null && from.equals(to)) {
      c.report("to", "from and to are the same database");
    }
  }

  static void tables(SpecCheck c, String field, List<String> tables) {
    for (int i = 0; i < tables.size(); i++) {
      if (!PG_TABLE.matcher(tables.get(i)).matches()) {
        c.report(
            field + "[" + i + "]",
            "'" + tables.get(i) + "' is not schema.table (like public.orders)");
      }
    }
  }

  static void role(SpecCheck c, String role) {
    if (role != null && !PlanPatterns.PG_NAME.matcher(role).matches()) {
      c.report("role", "'" + role + "' is not a role name");
    }
  }
}
