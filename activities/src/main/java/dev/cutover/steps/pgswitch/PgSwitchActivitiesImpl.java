package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.postgres.PgSessions;

/** The {@code pg-switch} step's activities: the section with its hold and its instant. */
public class PgSwitchActivitiesImpl implements PgSwitchActivities {
  private final PgSessions sessions;
  private final SwitchHolds holds;
  private final SwitchInstants instants;

  /**
   * The worker's: a bouncer in the plan holds clients at that PgBouncer (its admin password
   * resolved here, in the worker); the replication back and the verify as the request asks.
   */
  public PgSwitchActivitiesImpl(PgSessions sessions, SecretResolver secrets) {
    this(sessions, bouncer -> bouncerHold(bouncer, secrets, sessions), ReverseAndVerify.factory());
  }

  static SwitchHold bouncerHold(PgSwitchBouncer b, SecretResolver secrets, PgSessions sessions) {
    return new PgBouncerHold(
        new PgBouncerSpec(
            b.hostName(),
            b.port(),
            b.adminUser(),
            b.adminPasswordSecret(),
            b.database(),
            b.config()),
        b.host(),
        b.adminPasswordSecret() == null ? null : secrets.resolve(b.adminPasswordSecret()),
        sessions.shells(),
        b.host() != null && b.host().sudoFor(b.sudo()));
  }

  /**
   * @param holds makes the hold of a switch with a bouncer
   * @param instants makes what a switch does at its instant and after its release
   */
  public PgSwitchActivitiesImpl(PgSessions sessions, SwitchHolds holds, SwitchInstants instants) {
    this.sessions = sessions;
    this.holds = holds;
    this.instants = instants;
  }

  @Override
  public PgSwitchResult switchOver(PgSwitchRequest request) {
    try (HeartbeatPump<PgSwitchProgress> heartbeat =
            new HeartbeatPump<>(Heartbeat.ofActivity(), new PgSwitchProgress("prepare", 0, 0));
        SwitchHold hold =
            request.bouncer() == null ? new NoHold() : holds.forBouncer(request.bouncer());
        SwitchInstant instant = instants.forSwitch(request, sessions, heartbeat)) {
      return new SwitchSection(sessions, heartbeat).run(request, hold, instant);
    }
  }

  @Override
  public PgSwitchResult switchBack(PgSwitchBackRequest request) {
    PgSwitchBouncer bouncer = request.switched().bouncer();
    try (HeartbeatPump<PgSwitchProgress> heartbeat =
            new HeartbeatPump<>(Heartbeat.ofActivity(), new PgSwitchProgress("prepare", 0, 0));
        SwitchHold hold = bouncer == null ? new NoHold() : holds.forBouncer(bouncer)) {
      return new SwitchBack(sessions, heartbeat).run(request, hold);
    }
  }
}
