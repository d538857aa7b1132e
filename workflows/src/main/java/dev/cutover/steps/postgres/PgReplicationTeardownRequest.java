package dev.cutover.steps.postgres;

/**
 * The undo of a replication setup. The endpoints carry secret references only.
 *
 * @param step the step's name in the plan
 * @param source the publishing database
 * @param target the subscribing database
 * @param setup what the setup created; only those objects are dropped
 */
public record PgReplicationTeardownRequest(
    String step, PgEndpoint source, PgEndpoint target, PgReplicationSetupResult setup) {}
