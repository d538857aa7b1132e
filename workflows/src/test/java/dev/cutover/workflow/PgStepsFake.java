package dev.cutover.workflow;

import dev.cutover.preflight.PreflightActivities;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.preflight.PreflightReport;
import dev.cutover.preflight.PreflightRequest;
import dev.cutover.steps.postgres.PgConnectionsRequest;
import dev.cutover.steps.postgres.PgConnectionsResult;
import dev.cutover.steps.postgres.PgCopyRequest;
import dev.cutover.steps.postgres.PgCopyResult;
import dev.cutover.steps.postgres.PgReplicationFinishRequest;
import dev.cutover.steps.postgres.PgReplicationFinishResult;
import dev.cutover.steps.postgres.PgReplicationLagRequest;
import dev.cutover.steps.postgres.PgReplicationLagResult;
import dev.cutover.steps.postgres.PgReplicationSetupRequest;
import dev.cutover.steps.postgres.PgReplicationSetupResult;
import dev.cutover.steps.postgres.PgReplicationTeardownRequest;
import dev.cutover.steps.postgres.PgReplicationTeardownResult;
import dev.cutover.steps.postgres.PgSequenceValue;
import dev.cutover.steps.postgres.PgTableComparison;
import dev.cutover.steps.postgres.PgVerifyRequest;
import dev.cutover.steps.postgres.PgVerifyResult;
import dev.cutover.steps.postgres.PostgresActivities;
import dev.cutover.steps.postgres.SqlCheckRequest;
import dev.cutover.steps.postgres.SqlCheckResult;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake of the PostgreSQL step kinds for workflow-logic tests: each call is recorded as one line
 * and the requests are kept. The real activities are tested against real PostgreSQL servers in the
 * activities module.
 */
class PgStepsFake implements PostgresActivities, PreflightActivities {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<Object> requests = new CopyOnWriteArrayList<>();
  final List<PreflightRequest> preflights = new CopyOnWriteArrayList<>();

  /** How many verify calls find a difference before one matches. */
  final AtomicInteger verifyMismatches = new AtomicInteger();

  final AtomicInteger lagCalls = new AtomicInteger();

  @Override
  public PreflightReport check(PreflightRequest r) {
    preflights.add(r);
    calls.add("preflight");
    return new PreflightReport(
        List.of(new PreflightCheck("old-db", "connect", true, "PostgreSQL 15")));
  }

  @Override
  public PgCopyResult copy(PgCopyRequest r) {
    requests.add(r);
    calls.add("copy " + r.step() + " " + r.source().database() + " -> " + r.target().database());
    return new PgCopyResult(5_242_880, 4, 2_500, "15.18", "15.18");
  }

  @Override
  public PgReplicationSetupResult setupReplication(PgReplicationSetupRequest r) {
    requests.add(r);
    calls.add(
        "setup "
            + r.step()
            + " "
            + r.source().hostName()
            + " -> "
            + r.target().hostName()
            + " "
            + r.subscription()
            + (r.copyData() ? "" : " without data"));
    return new PgReplicationSetupResult(
        r.publication(),
        r.subscription(),
        r.subscription(),
        true,
        true,
        r.copySchema(),
        r.tables(),
        "15.18",
        "15.18");
  }

  @Override
  public PgReplicationLagResult replicationLag(PgReplicationLagRequest r) {
    int n = lagCalls.incrementAndGet();
    calls.add("lag " + r.step());
    return new PgReplicationLagResult(
        "0/3000000", "0/2000000", 16_777_216L / n, n == 1 ? 2 : 0, Instant.EPOCH);
  }

  @Override
  public PgReplicationFinishResult finishReplication(PgReplicationFinishRequest r) {
    requests.add(r);
    calls.add("finish " + r.step() + " " + r.subscription());
    return new PgReplicationFinishResult(
        "0/3000148",
        1_200,
        List.of(new PgSequenceValue("public.orders_id_seq", 1042, 1, 1042)),
        true,
        true,
        r.dropPublication());
  }

  @Override
  public PgReplicationTeardownResult teardownReplication(PgReplicationTeardownRequest r) {
    requests.add(r);
    calls.add(
        "teardown "
            + r.step()
            + " "
            + r.source().hostName()
            + " -> "
            + r.target().hostName()
            + " "
            + r.setup().subscription());
    return new PgReplicationTeardownResult(true, true, true);
  }

  @Override
  public PgVerifyResult verify(PgVerifyRequest r) {
    calls.add("verify " + r.step());
    if (verifyMismatches.getAndDecrement() > 0) {
      PgVerifyResult differs =
          new PgVerifyResult(
              List.of(new PgTableComparison("public.orders", 10, 9, "a", "b", false)),
              List.of("public.orders"),
              30);
      throw ApplicationFailure.newFailureWithCause(
          "1 table differs between old-db and new-db: public.orders (rows 10 vs 9)",
          PostgresActivities.VERIFY_MISMATCH,
          null,
          differs);
    }
    return new PgVerifyResult(
        List.of(new PgTableComparison("public.orders", 10, 10, "a", "a", true)), List.of(), 30);
  }

  @Override
  public SqlCheckResult sqlCheck(SqlCheckRequest r) {
    requests.add(r);
    calls.add("sql " + r.step());
    return new SqlCheckResult(List.of("count"), List.of(List.of("0")), 1, false, true);
  }

  @Override
  public PgConnectionsResult waitForNoConnections(PgConnectionsRequest r) {
    requests.add(r);
    calls.add("connections " + r.step());
    return new PgConnectionsResult(4_000, 1, List.of("shop@10.0.0.9 rails"));
  }
}
