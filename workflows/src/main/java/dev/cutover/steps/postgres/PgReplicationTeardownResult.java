package dev.cutover.steps.postgres;

/**
 * What the teardown removed; false where the object was already gone or was not created by the
 * setup.
 *
 * @param subscriptionDropped whether the subscription was dropped
 * @param slotDropped whether the slot was dropped
 * @param publicationDropped whether the publication was dropped
 */
public record PgReplicationTeardownResult(
    boolean subscriptionDropped, boolean slotDropped, boolean publicationDropped) {}
