package dev.cutover.steps.postgres;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The PostgreSQL step kinds: {@code pg-copy}, {@code pg-replicate}, {@code pg-verify}, {@code sql}
 * and {@code pg-connections}.
 *
 * <p>Implementations must be idempotent (a retry after a worker crash reaches the same end state: a
 * copy restarts clean, replication objects that already exist are reused, objects already dropped
 * stay dropped) and raise {@link io.temporal.failure.ApplicationFailure} with the types in {@link
 * dev.cutover.steps.CutoverErrors} for non-retryable errors (wrong password, missing database,
 * {@code wal_level} not logical, a table without replica identity, incompatible versions, a client
 * tool missing on a host). Passwords are resolved from their references inside the worker and never
 * appear in results, heartbeats, failure messages or logs.
 */
@ActivityInterface
public interface PostgresActivities {
  /**
   * Failure type of a {@code pg-verify} that found differences; retryable, details are the result.
   */
  String VERIFY_MISMATCH = "PgVerifyMismatch";

  /** Failure type of a {@code sql} check whose result did not meet the expectation; retryable. */
  String SQL_CHECK_FAILED = "SqlCheckFailed";

  /**
   * {@code pg-copy}: dumps the source database (custom format, parallel where it can) and restores
   * it into the target, streamed between the hosts without a full dump file on the worker.
   * Heartbeats {@link PgCopyProgress}.
   */
  @ActivityMethod(name = "PgCopy")
  PgCopyResult copy(PgCopyRequest request);

  /**
   * {@code pg-replicate}, presync: copies the schema to the target, creates the publication on the
   * source and the subscription on the target, and starts the initial copy. Reuses what a previous
   * attempt already created. With the endpoints swapped it sets up the reverse replication (new to
   * old) that makes a rollback after go-live lossless.
   */
  @ActivityMethod(name = "PgReplicationSetup")
  PgReplicationSetupResult setupReplication(PgReplicationSetupRequest request);

  /** {@code pg-replicate}, each presync round: how far the subscription is behind the source. */
  @ActivityMethod(name = "PgReplicationLag")
  PgReplicationLagResult replicationLag(PgReplicationLagRequest request);

  /**
   * {@code pg-replicate}, downtime: once writes have stopped on the source, waits until the target
   * has applied everything (comparing LSNs, never a fixed sleep), copies the sequence values, then
   * disables and drops the subscription and its slot. Heartbeats {@link PgReplicationLagResult}
   * while it waits.
   */
  @ActivityMethod(name = "PgReplicationFinish")
  PgReplicationFinishResult finishReplication(PgReplicationFinishRequest request);

  /**
   * Undo of {@link #setupReplication}: drops the subscription, the slot and the publication that
   * the setup created (and only those); objects already gone are not an error.
   */
  @ActivityMethod(name = "PgReplicationTeardown")
  PgReplicationTeardownResult teardownReplication(PgReplicationTeardownRequest request);

  /**
   * {@code pg-verify}: per table, row count and a content checksum compared between source and
   * target. Differences raise a {@link #VERIFY_MISMATCH} failure naming the tables, with the {@link
   * PgVerifyResult} as its details.
   */
  @ActivityMethod(name = "PgVerify")
  PgVerifyResult verify(PgVerifyRequest request);

  /**
   * {@code sql}: runs a query and checks its result against the expectation. A result that does not
   * meet it raises a {@link #SQL_CHECK_FAILED} failure with the {@link SqlCheckResult} as details.
   */
  @ActivityMethod(name = "SqlCheck")
  SqlCheckResult sqlCheck(SqlCheckRequest request);

  /**
   * {@code pg-connections}: waits until no client (other than the ignored ones) is connected to the
   * database, terminating them when the request says so. Heartbeats {@link PgConnectionsProgress}.
   */
  @ActivityMethod(name = "PgWaitForNoConnections")
  PgConnectionsResult waitForNoConnections(PgConnectionsRequest request);
}
