package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.steps.postgres.PgSessions;

/**
 * Makes the {@link SwitchInstant} of one switch from its request (the replication back and the
 * snapshots verified after the release, as the request asks).
 */
@FunctionalInterface
public interface SwitchInstants {
  /**
   * @param sessions where the databases are reached (and passwords resolved)
   * @param heartbeat the activity's heartbeat, for long work after the release
   */
  SwitchInstant forSwitch(
      PgSwitchRequest request, PgSessions sessions, Heartbeat<PgSwitchProgress> heartbeat);

  /** Nothing at the instant: no replication back, no verify. */
  static SwitchInstants none() {
    return (request, sessions, heartbeat) -> SwitchInstant.none();
  }
}
