package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgSessions;
import io.temporal.failure.ApplicationFailure;

/** The {@code pg-switch} step's activities: the section with its hold and its instant. */
public class PgSwitchActivitiesImpl implements PgSwitchActivities {
  private final PgSessions sessions;
  private final SwitchHolds holds;
  private final SwitchInstants instants;

  /**
   * The worker's: switches without a holding point (a bouncer in the plan is refused until the
   * bouncer hold is in this build), and nothing at the instant but the switch itself.
   */
  public PgSwitchActivitiesImpl(PgSessions sessions) {
    this(
        sessions,
        bouncer -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "holding clients at "
                  + bouncer.describe()
                  + " is not in this build: leave bouncer out of the pg-switch step",
              CutoverErrors.INVALID_CONFIG);
        },
        SwitchInstants.none());
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
    Heartbeat<PgSwitchProgress> heartbeat = Heartbeat.ofActivity();
    try (SwitchHold hold =
        request.bouncer() == null ? new NoHold() : holds.forBouncer(request.bouncer())) {
      return new SwitchSection(sessions, heartbeat)
          .run(request, hold, instants.forSwitch(request, sessions, heartbeat));
    }
  }

  @Override
  public PgSwitchResult switchBack(PgSwitchBackRequest request) {
    throw ApplicationFailure.newNonRetryableFailure(
        "step " + request.switched().step() + ": switching back is not implemented in this build",
        SwitchErrors.BACK_UNAVAILABLE);
  }
}
