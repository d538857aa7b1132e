package dev.cutover.steps.postgres;

import java.util.List;
import java.util.stream.Collectors;

/** Publications on a publishing server, marked with a comment when cutover creates them. */
public final class PgPublications {
  private PgPublications() {}

  /** The publication's comment ("" for none); {@code null} when there is no such publication. */
  static String comment(PgSession source, String name) {
    PgRows rows =
        source.query(
            "select coalesce(obj_description(oid, 'pg_publication'), '') as comment from pg_publication"
                + " where pubname = "
                + PgQuote.literal(name));
    return rows.isEmpty() ? null : rows.single();
  }

  /**
   * Creates the publication of {@code tables} (every table when empty) and marks it, in one
   * transaction: a publication found later with the mark is this step's, even after a crash.
   */
  static void create(PgSession source, String name, List<String> tables, String marker) {
    String what =
        tables.isEmpty()
            ? "FOR ALL TABLES"
            : "FOR TABLE "
                + tables.stream()
                    .map(PgReplicationChecks::qualified)
                    .collect(Collectors.joining(", "));
    PgSubscriptions.inTransaction(
        source,
        "CREATE PUBLICATION "
            + PgQuote.ident(name)
            + " "
            + what
            + ";\n"
            + "COMMENT ON PUBLICATION "
            + PgQuote.ident(name)
            + " IS "
            + PgQuote.literal(marker)
            + ";");
  }

  /** Drops the publication; false when it was already gone. */
  public static boolean drop(PgSession source, String name) {
    if (comment(source, name) == null) {
      return false;
    }
    source.execute("DROP PUBLICATION IF EXISTS " + PgQuote.ident(name));
    return true;
  }
}
