package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.steps.postgres.PgSessions;

/**
 * The critical section of a switch, direction-agnostic: from the request's {@code from} to its
 * {@code to}, through the subscription on {@code to}. The way back runs it with the two reversed
 * and the replication back's names.
 */
public final class SwitchSection {
  private final PgSessions sessions;
  private final Heartbeat<PgSwitchProgress> heartbeat;

  public SwitchSection(PgSessions sessions, Heartbeat<PgSwitchProgress> heartbeat) {
    this.sessions = sessions;
    this.heartbeat = heartbeat;
  }

  /**
   * Prepares, freezes {@code from}, waits until {@code to} has applied all of it, copies the
   * sequences, runs {@code instant}, drops the subscription (the commit point), points {@code hold}
   * at {@code to}, runs the inside commands and releases; then {@link SwitchInstant#afterRelease}.
   * A retry after a worker death inside it ends with {@code from} serving or {@code to} fully
   * switched.
   */
  public PgSwitchResult run(PgSwitchRequest request, SwitchHold hold, SwitchInstant instant) {
    throw new UnsupportedOperationException("the section is being written on branch wt-switch");
  }
}
