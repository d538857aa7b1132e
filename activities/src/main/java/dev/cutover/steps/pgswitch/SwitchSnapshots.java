package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgCatalogTable;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgQuote;
import dev.cutover.steps.postgres.PgRows;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.steps.postgres.PgTableComparison;
import dev.cutover.steps.postgres.PgTableMeasures;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The verify of a switch, out of its window: at the switch instant (the source frozen, the target
 * caught up) a REPEATABLE READ READ ONLY transaction is begun on each side and its snapshot taken
 * by a first query; after the release, every replicated table is measured (rows and, with
 * checksums, contents, as {@code pg-verify} does) inside those transactions and compared. Writes on
 * the target after the instant are not in its snapshot, so the clients the release let go cannot
 * make the sides differ; what was different at the instant does.
 *
 * <p>The sessions are opened before the freeze ({@link #prepare}), so taking the snapshots costs
 * the section one round trip per side. They are JDBC sessions of their own: a transaction must
 * outlive the statements, which a psql session per statement cannot. A snapshot holds back vacuum
 * on its server until {@link #close}; the verify is the only thing that keeps it open.
 */
public final class SwitchSnapshots implements AutoCloseable {
  /** What a person does about a mismatch when the replication back runs. */
  static final String WAY_BACK =
      "abort the migration to switch back: replication %s -> %s has every write since the switch";

  /** What a person does about a mismatch without a replication back. */
  static final String NO_WAY_BACK =
      "there is no replication back (reverse: false): writes on %s since the switch are only there";

  /** How many differing tables the failure message names; the details hold more. */
  static final int NAMED_IN_MESSAGE = 10;

  private final PgSessions sessions;
  private final String step;
  private final String fromName;
  private final PgEndpoint from;
  private final String toName;
  private final PgEndpoint to;
  private final String publication;
  private final boolean checksums;
  private final boolean reverse;
  private volatile Heartbeat<String> heartbeat = p -> {};
  private volatile String progress = "snapshots";
  private final AtomicBoolean stop = new AtomicBoolean();
  private PgSession fromSession;
  private PgSession toSession;
  private String snapshot;

  /**
   * @param from the database switched from (frozen at the instant)
   * @param to the database switched to
   * @param publication the publication of the replication from {@code from} to {@code to}: its
   *     tables are the ones compared (every user table of {@code from} when it publishes all, or is
   *     gone)
   * @param checksums whether contents are compared, not only row counts
   * @param reverse whether a replication back runs, for the message of a mismatch
   */
  public SwitchSnapshots(
      PgSessions sessions,
      String step,
      String fromName,
      PgEndpoint from,
      String toName,
      PgEndpoint to,
      String publication,
      boolean checksums,
      boolean reverse) {
    this.sessions = sessions;
    this.step = step;
    this.fromName = fromName;
    this.from = from;
    this.toName = toName;
    this.to = to;
    this.publication = publication;
    this.checksums = checksums;
    this.reverse = reverse;
  }

  /** Before the freeze: both sessions open (a wrong password fails here, not in the freeze). */
  public void prepare() {
    if (fromSession != null) {
      return;
    }
    for (PgEndpoint e : new PgEndpoint[] {from, to}) {
      if (e.accessOrDefault() != PgAccess.JDBC) {
        // psql runs each statement in a connection of its own: no transaction outlives it
        throw ApplicationFailure.newNonRetryableFailure(
            "step "
                + step
                + ": the verify against the switch snapshots holds a transaction open, which needs"
                + " access: jdbc for database "
                + e.describe(e == from ? fromName : toName)
                + "; set it, or verify: none",
            CutoverErrors.INVALID_CONFIG);
      }
    }
    // The source side measures on the caller's thread and beats; the target side runs on a thread
    // of its own and only stops when told.
    fromSession = sessions.open(fromName, from, () -> heartbeat.beat(progress));
    toSession =
        sessions.open(
            toName,
            to,
            () -> {
              if (stop.get()) {
                throw new CancellationException("step " + step + ": verify stopped");
              }
            });
  }

  /**
   * At the instant: begins the snapshot transactions, the target's first; returns the target's
   * exported snapshot id. Nothing writes on the target before the release, so the two are of the
   * same moment.
   */
  public String take() {
    prepare();
    PgRows exported =
        toSession.query(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; select pg_export_snapshot()");
    fromSession.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; select 1");
    snapshot = exported.single();
    return snapshot;
  }

  /** The target's snapshot id; {@code null} before {@link #take}. */
  public String snapshot() {
    return snapshot;
  }

  /**
   * After the release: compares every replicated table inside the snapshots. Returns what matched;
   * a difference fails (non-retryable {@code SwitchVerifyMismatch}) naming the tables and the way
   * back, with the result as its details.
   *
   * @param beat gets the table being compared ({@code "public.orders (3 of 17)"}) and repeats it
   *     while a statement runs; throws to cancel, as Temporal's heartbeat does
   */
  public PgSwitchVerifyResult verify(Heartbeat<String> beat) {
    if (snapshot == null) {
      throw new IllegalStateException("verify before the snapshots were taken");
    }
    this.heartbeat = beat;
    long started = System.nanoTime();
    ExecutorService toSide =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "pg-switch-verify-" + toName);
              t.setDaemon(true);
              return t;
            });
    List<PgTableComparison> compared = new ArrayList<>();
    try {
      progress = "reading the catalogs";
      beat.beat(progress);
      Map<String, PgCatalogTable> fromTables = PgTableMeasures.catalog(fromSession);
      Map<String, PgCatalogTable> toTables = PgTableMeasures.catalog(toSession);
      List<String> names = replicated(fromTables);
      int i = 0;
      for (String table : names) {
        i++;
        progress = table + " (" + i + " of " + names.size() + ")";
        beat.beat(progress);
        PgCatalogTable onTo = toTables.get(table);
        Future<PgTableMeasures.Measure> toMeasure =
            toSide.submit(() -> PgTableMeasures.measure(toSession, onTo, checksums));
        PgTableMeasures.Measure f =
            PgTableMeasures.measure(fromSession, fromTables.get(table), checksums);
        PgTableMeasures.Measure t = PgTableMeasures.await(toMeasure, () -> beat.beat(progress));
        boolean matches =
            f.rows() >= 0
                && f.rows() == t.rows()
                && (!checksums || Objects.equals(f.checksum(), t.checksum()));
        compared.add(
            new PgTableComparison(table, f.rows(), t.rows(), f.checksum(), t.checksum(), matches));
      }
    } finally {
      stop.set(true);
      toSide.shutdownNow();
    }
    List<PgTableComparison> differing = compared.stream().filter(c -> !c.matches()).toList();
    PgSwitchVerifyResult result =
        new PgSwitchVerifyResult(
            snapshot,
            checksums,
            compared.size(),
            differing.stream().limit(PgSwitchVerifyResult.DIFFERING_KEPT).toList(),
            differing.size(),
            (System.nanoTime() - started) / 1_000_000);
    if (!differing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          mismatchMessage(compared.size(), differing), SwitchErrors.VERIFY_MISMATCH, null, result);
    }
    return result;
  }

  /**
   * The tables the replication carried, by {@code schema.table}: the publication's, a partition
   * counted as its partitioned table (as the catalog lists tables), or every user table when it
   * publishes all or is gone.
   */
  private List<String> replicated(Map<String, PgCatalogTable> fromTables) {
    PgRows pub =
        fromSession.query(
            "select puballtables from pg_publication where pubname = "
                + PgQuote.literal(publication));
    if (pub.isEmpty() || "t".equals(pub.single())) {
      return List.copyOf(fromTables.keySet());
    }
    return fromSession
        .query(
            "select distinct rn.nspname || '.' || rc.relname as t from pg_publication_tables p"
                + " cross join lateral (select format('%I.%I', p.schemaname, p.tablename)::regclass as r) t"
                + " join pg_class rc on rc.oid = coalesce(pg_partition_root(t.r), t.r)"
                + " join pg_namespace rn on rn.oid = rc.relnamespace"
                + " where p.pubname = "
                + PgQuote.literal(publication)
                + " order by 1")
        .column("t");
  }

  private String mismatchMessage(int comparedCount, List<PgTableComparison> differing) {
    String named =
        differing.stream()
            .limit(NAMED_IN_MESSAGE)
            .map(SwitchSnapshots::why)
            .collect(Collectors.joining(", "));
    return "step "
        + step
        + ": "
        + differing.size()
        + " of "
        + comparedCount
        + (comparedCount == 1 ? " table" : " tables")
        + " differed between "
        + fromName
        + " and "
        + toName
        + " at the switch instant (snapshot "
        + snapshot
        + "): "
        + named
        + (differing.size() > NAMED_IN_MESSAGE ? ", ..." : "")
        + "; "
        + (reverse ? WAY_BACK.formatted(toName, fromName) : NO_WAY_BACK.formatted(toName));
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

  /** Ends the snapshot transactions and the sessions; never throws. */
  @Override
  public void close() {
    stop.set(true);
    for (PgSession s : new PgSession[] {toSession, fromSession}) {
      if (s != null) {
        s.close();
      }
    }
    toSession = null;
    fromSession = null;
  }
}
