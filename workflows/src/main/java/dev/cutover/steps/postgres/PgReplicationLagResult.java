package dev.cutover.steps.postgres;

import java.time.Instant;

/**
 * How far a subscription is behind its source; also the heartbeat details while the finish waits.
 *
 * @param sourceLsn the source's current WAL position
 * @param confirmedLsn the position the subscription has confirmed applying
 * @param lagBytes bytes of WAL between the two
 * @param tablesInitialising tables whose initial copy is not finished yet
 * @param measuredAt when the positions were read
 */
public record PgReplicationLagResult(
    String sourceLsn,
    String confirmedLsn,
    long lagBytes,
    int tablesInitialising,
    Instant measuredAt) {}
