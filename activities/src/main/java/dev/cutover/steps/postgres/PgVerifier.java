package dev.cutover.steps.postgres;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.ShellFailures;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The {@code pg-verify} step: compares every user table of the source with the target, by row count
 * and, with {@code checksums}, by content.
 *
 * <p>The content checksum is order-independent and needs constant memory on the server: each row's
 * text (its columns in name order) is hashed with md5, and the two 64-bit halves are summed over
 * all rows. Rows may come back in any order and the server keeps two sums, whatever the table's
 * size. Both sides run with the same settings for the text of dates, times, intervals, floats and
 * byteas, so equal data gives equal text on both.
 *
 * <p>The tables come from the source's catalog (ordinary and partitioned tables, the latter as a
 * whole; not pg_catalog, information_schema, toast or temp schemas), filtered by the request. A
 * table missing on one side has -1 rows there. Source and target are measured at the same time, a
 * table at a time, so the downtime this step costs is the larger side's, not the sum.
 */
public class PgVerifier {
  /** How many differing tables a failure message names; the details list them all. */
  static final int NAMED_IN_MESSAGE = 10;

  private final PgSessions sessions;

  public PgVerifier(PgSessions sessions) {
    this.sessions = sessions;
  }

  /**
   * @param heartbeat gets the table being compared ({@code "public.orders (3 of 17)"}) before each
   *     table and while its statements run; throws to cancel, as Temporal's heartbeat does
   */
  public PgVerifyResult verify(PgVerifyRequest request, Heartbeat<Object> heartbeat) {
    return ShellFailures.inStep(request.step(), () -> compare(request, heartbeat));
  }

  private PgVerifyResult compare(PgVerifyRequest request, Heartbeat<Object> heartbeat) {
    long started = System.nanoTime();
    String sourceName = PgSessions.nameOf(request.source());
    String targetName = PgSessions.nameOf(request.target());
    Object[] progress = {"reading the catalogs"};
    Runnable beat = () -> heartbeat.beat(progress[0]);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService targetSide =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "pg-verify-target");
              t.setDaemon(true);
              return t;
            });
    List<PgTableComparison> compared = new ArrayList<>();
    try (PgSession source = sessions.open(sourceName, request.source(), beat);
        // The target's statements run on a thread of their own; the flag cancels them when the step
        // stops.
        PgSession target =
            sessions.open(
                targetName,
                request.target(),
                () -> {
                  if (stop.get()) {
                    throw new CancellationException("pg-verify stopped");
                  }
                })) {
      try {
        Map<String, PgCatalogTable> sourceTables = catalog(source);
        Map<String, PgCatalogTable> targetTables = catalog(target);
        List<String> names = selected(request, sourceTables);
        int i = 0;
        for (String table : names) {
          i++;
          progress[0] = table + " (" + i + " of " + names.size() + ")";
          heartbeat.beat(progress[0]);
          PgCatalogTable onTarget = targetTables.get(table);
          Future<PgTableMeasures.Measure> targetMeasure =
              targetSide.submit(
                  () -> PgTableMeasures.measure(target, onTarget, request.checksums()));
          PgTableMeasures.Measure s =
              PgTableMeasures.measure(source, sourceTables.get(table), request.checksums());
          PgTableMeasures.Measure t = PgTableMeasures.await(targetMeasure, beat);
          boolean matches =
              s.rows() >= 0
                  && s.rows() == t.rows()
                  && (!request.checksums() || Objects.equals(s.checksum(), t.checksum()));
          compared.add(
              new PgTableComparison(
                  table, s.rows(), t.rows(), s.checksum(), t.checksum(), matches));
        }
      } finally {
        // Before the sessions close: a statement still running on the target is canceled by its
        // beat (within one beat), not left to run on with its connection closed under it.
        stop.set(true);
        targetSide.shutdown();
        awaitQuietly(targetSide);
      }
    } finally {
      targetSide.shutdownNow();
    }
    List<String> mismatched =
        compared.stream().filter(c -> !c.matches()).map(PgTableComparison::table).toList();
    PgVerifyResult result =
        new PgVerifyResult(compared, mismatched, (System.nanoTime() - started) / 1_000_000);
    if (!mismatched.isEmpty()) {
      throw ApplicationFailure.newFailureWithCause(
          mismatchMessage(request, sourceName, targetName, compared, mismatched),
          PostgresActivities.VERIFY_MISMATCH,
          null,
          result);
    }
    return result;
  }

  /** The user tables, by {@code schema.table}. */
  private static Map<String, PgCatalogTable> catalog(PgSession session) {
    return PgTableMeasures.catalog(session);
  }

  /**
   * The source's tables the request selects; a table the request names exactly is compared even
   * when the source lacks it (it then differs: the plan expects it).
   */
  static List<String> selected(PgVerifyRequest request, Map<String, PgCatalogTable> sourceTables) {
    List<PgTablePattern> include = request.tables().stream().map(PgTablePattern::parse).toList();
    List<PgTablePattern> exclude =
        request.excludeTables().stream().map(PgTablePattern::parse).toList();
    List<String> names = new ArrayList<>();
    for (PgCatalogTable t : sourceTables.values()) {
      if ((include.isEmpty() || include.stream().anyMatch(p -> p.matches(t.schema(), t.name())))
          && exclude.stream().noneMatch(p -> p.matches(t.schema(), t.name()))) {
        names.add(t.display());
      }
    }
    for (PgTablePattern p : include) {
      if (p.exact()
          && !names.contains(p.display())
          && exclude.stream().noneMatch(x -> x.matches(p.schema(), p.table()))) {
        names.add(p.display());
      }
    }
    return names;
  }

  /** Rows and checksum of a table on one side; -1 rows when the side has no such table. */
  private static void awaitQuietly(ExecutorService side) {
    try {
      side.awaitTermination(HostShell.BEAT_EVERY.toMillis() * 10, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String mismatchMessage(
      PgVerifyRequest request,
      String sourceName,
      String targetName,
      List<PgTableComparison> compared,
      List<String> mismatched) {
    String named =
        compared.stream()
            .filter(c -> !c.matches())
            .limit(NAMED_IN_MESSAGE)
            .map(PgVerifier::why)
            .collect(Collectors.joining(", "));
    return "step "
        + request.step()
        + ": "
        + mismatched.size()
        + " of "
        + compared.size()
        + (compared.size() == 1 ? " table" : " tables")
        + " differ between database "
        + request.source().describe(sourceName)
        + " and database "
        + request.target().describe(targetName)
        + ": "
        + named
        + (mismatched.size() > NAMED_IN_MESSAGE ? ", ..." : "");
  }

  private static String why(PgTableComparison c) {
    if (c.sourceRows() < 0 && c.targetRows() < 0) {
      return c.table() + " (missing on both)";
    }
    if (c.sourceRows() < 0) {
      return c.table() + " (missing on the source)";
    }
    if (c.targetRows() < 0) {
      return c.table() + " (missing on the target)";
    }
    if (c.sourceRows() != c.targetRows()) {
      return c.table() + " (" + c.sourceRows() + " rows vs " + c.targetRows() + ")";
    }
    return c.table() + " (" + c.sourceRows() + " rows each, contents differ)";
  }
}
