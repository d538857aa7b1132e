package dev.cutover.steps.postgres;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;

/**
 * The PostgreSQL step kinds as Temporal activities: each method hands its work, with the activity's
 * heartbeat, to the class that does it ({@link PgCopier}, {@link PgReplication}, {@link
 * PgVerifier}, {@link SqlChecker}, {@link PgConnectionWatcher}). Those raise the classified
 * failures themselves; Temporal's heartbeat throws when the activity is canceled, which stops the
 * running tool or statement.
 */
public class PostgresActivitiesImpl implements PostgresActivities {
  private final PgCopier copier;
  private final PgReplication replication;
  private final PgVerifier verifier;
  private final SqlChecker sql;
  private final PgConnectionWatcher connections;

  /**
   * @param sessions how databases are reached, and where passwords are resolved
   * @param shells where pg_dump and pg_restore run (the worker's machine or a database's host)
   */
  public PostgresActivitiesImpl(PgSessions sessions, HostShells shells) {
    this.copier = new PgCopier(sessions, shells);
    this.replication = new PgReplication(sessions, copier);
    this.verifier = new PgVerifier(sessions);
    this.sql = new SqlChecker(sessions);
    this.connections = new PgConnectionWatcher(sessions);
  }

  @Override
  public PgCopyResult copy(PgCopyRequest request) {
    return copier.copy(request, Heartbeat.ofActivity());
  }

  @Override
  public PgReplicationSetupResult setupReplication(PgReplicationSetupRequest request) {
    return replication.setup(request, Heartbeat.ofActivity());
  }

  @Override
  public PgReplicationLagResult replicationLag(PgReplicationLagRequest request) {
    return replication.lag(request);
  }

  @Override
  public PgReplicationFinishResult finishReplication(PgReplicationFinishRequest request) {
    return replication.finish(request, Heartbeat.ofActivity());
  }

  @Override
  public PgReplicationTeardownResult teardownReplication(PgReplicationTeardownRequest request) {
    return replication.teardown(request);
  }

  @Override
  public PgVerifyResult verify(PgVerifyRequest request) {
    return verifier.verify(request, Heartbeat.ofActivity());
  }

  @Override
  public SqlCheckResult sqlCheck(SqlCheckRequest request) {
    return sql.check(request, Heartbeat.ofActivity());
  }

  @Override
  public PgConnectionsResult waitForNoConnections(PgConnectionsRequest request) {
    return connections.waitForNoConnections(request, Heartbeat.ofActivity());
  }
}
