package dev.cutover.steps.pgswitch;

/**
 * Makes the {@link SwitchHold} of one switch from its request's bouncer ({@link NoHold} without
 * one).
 */
@FunctionalInterface
public interface SwitchHolds {
  SwitchHold forBouncer(PgSwitchBouncer bouncer);
}
