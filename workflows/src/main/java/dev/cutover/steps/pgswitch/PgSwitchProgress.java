package dev.cutover.steps.pgswitch;

/**
 * A switch's heartbeat: where it is, and for how long writes have been frozen.
 *
 * @param phase {@code prepare}, {@code hold}, {@code freeze}, {@code catch-up}, {@code sequences},
 *     {@code instant}, {@code commit}, {@code repoint}, {@code release}, {@code after-release},
 *     {@code unfreeze}
 * @param lagBytes how far the target was behind at the last poll
 * @param frozenMillis how long writes have been frozen; 0 before the freeze
 */
public record PgSwitchProgress(String phase, long lagBytes, long frozenMillis) {}
