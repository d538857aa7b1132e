package dev.cutover.steps.postgres;

import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.Pause;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Row count and content checksum of a table, the way {@code pg-verify} measures them, for steps of
 * other packages that compare two servers (pg-switch compares them inside snapshots taken at the
 * switch instant).
 *
 * <p>The content checksum is order-independent and needs constant memory on the server: each row's
 * text (its columns in name order) is hashed with md5, and the two 64-bit halves are summed over
 * all rows. Both sides run with the same settings for the text of dates, times, intervals, floats
 * and byteas, so equal data gives equal text on both.
 */
public final class PgTableMeasures {
  /** The session settings that make the text of a row the same on both servers. */
  static final String SETTINGS =
      "set timezone = 'UTC'; set datestyle = 'ISO, YMD'; set intervalstyle = 'postgres';"
          + " set extra_float_digits = 3; set bytea_output = 'hex';\n";

  static final String TABLES =
      "select n.nspname as schema, c.relname as name,"
          + " coalesce(string_agg(quote_ident(a.attname), ',' order by a.attname), '') as columns"
          + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
          + " left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped"
          + " where c.relkind in ('r', 'p') and not c.relispartition"
          + " and n.nspname not in ('pg_catalog', 'information_schema')"
          + " and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'"
          + " group by n.nspname, c.relname order by 1, 2";

  private PgTableMeasures() {}

  /**
   * A table's rows, and its checksum when asked for.
   *
   * @param rows -1 when the side has no such table
   * @param checksum {@code null} when not asked for or no such table
   */
  public record Measure(long rows, String checksum) {}

  /** The user tables, by {@code schema.table}. */
  public static Map<String, PgCatalogTable> catalog(PgSession session) {
    Map<String, PgCatalogTable> tables = new LinkedHashMap<>();
    for (List<String> row : session.query(TABLES).rows()) {
      PgCatalogTable t = new PgCatalogTable(row.get(0), row.get(1), row.get(2));
      tables.put(t.display(), t);
    }
    return tables;
  }

  /** Rows and checksum of a table on one side; -1 rows when the side has no such table. */
  public static Measure measure(PgSession session, PgCatalogTable table, boolean checksums) {
    if (table == null) {
      return new Measure(-1, null);
    }
    if (!checksums) {
      return new Measure(
          session.query("select count(*) from " + table.qualified()).singleLong(), null);
    }
    String row = table.columns().isEmpty() ? "''" : "row(" + table.columns() + ")::text";
    String half = "coalesce(sum(('x' || substr(h, %d, 16))::bit(64)::bigint::numeric), 0)::text";
    PgRows rows =
        session.query(
            SETTINGS
                + "select count(*) as n, md5("
                + half.formatted(1)
                + " || ':' || "
                + half.formatted(17)
                + ") as checksum from (select md5("
                + row
                + ") as h from "
                + table.qualified()
                + " t) r");
    return new Measure(Long.parseLong(rows.get(0, "n")), rows.get(0, "checksum"));
  }

  /**
   * Waits for the other side of a comparison measured on its own thread, beating meanwhile; unwraps
   * its failure.
   */
  public static Measure await(Future<Measure> measure, Runnable beat) {
    while (true) {
      try {
        return measure.get(HostShell.BEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        beat.run();
      } catch (InterruptedException e) {
        throw Pause.interrupted("comparing tables");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
  }
}
