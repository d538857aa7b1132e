package dev.cutover.steps.postgres;

/**
 * Which replication to measure. The endpoints carry secret references only.
 *
 * @param step the step's name in the plan
 * @param source the publishing database
 * @param target the subscribing database
 * @param subscription the subscription's name on the target
 * @param slot the slot's name on the source; {@code null} for the subscription's name
 */
public record PgReplicationLagRequest(
    String step, PgEndpoint source, PgEndpoint target, String subscription, String slot) {}
