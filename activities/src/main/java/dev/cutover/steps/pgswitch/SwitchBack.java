package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.steps.postgres.PgReplicationParts;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.steps.postgres.PgSessions;
import io.temporal.failure.ApplicationFailure;
import java.util.List;

/**
 * The way back after a switch (its undo): the same section in the other direction, through the
 * replication back that started at the switch instant. The new database is frozen, the old one
 * catches up on everything written on new since the switch, the sequences go back, the replication
 * back ends (its commit point), the hold points at old and clients go on: nothing written on new is
 * lost. A switch that never passed its commit point switched nothing: old is unfrozen and the
 * replication back's parts are removed.
 *
 * <p>In place of the switch's inside commands (they point the application at new) their {@code
 * back} commands run, at the same point of the section, on the same hosts: they point the
 * application back. A command without one runs nothing on the way back. Without a bouncer or back
 * commands, clients reconnect where their own configuration says.
 */
public final class SwitchBack {
  private final PgSessions sessions;
  private final Heartbeat<PgSwitchProgress> heartbeat;

  public SwitchBack(PgSessions sessions, Heartbeat<PgSwitchProgress> heartbeat) {
    this.sessions = sessions;
    this.heartbeat = heartbeat;
  }

  /**
   * @param hold where the switch held clients; it points at old afterwards
   */
  public PgSwitchResult run(PgSwitchBackRequest request, SwitchHold hold) {
    PgSwitchRequest s = request.switched();
    return ShellFailures.inStep(
        s.step(),
        () -> {
          if (!s.reverse()) {
            throw ApplicationFailure.newNonRetryableFailure(
                "step "
                    + s.step()
                    + ": there is no replication back (reverse: false), so switching back would"
                    + " lose what was written on "
                    + s.toName()
                    + " since the switch; copy it to "
                    + s.fromName()
                    + " by hand, or stay on "
                    + s.toName(),
                SwitchErrors.BACK_UNAVAILABLE);
          }
          boolean switched;
          try (PgSession from = sessions.open(s.fromName(), s.from());
              PgSession to = sessions.open(s.toName(), s.to())) {
            switched = PgReplicationParts.subscription(to, s.subscription()) == null;
            if (!switched) {
              return notSwitched(s, hold, from, to);
            }
          }
          PgSwitchRequest back =
              new PgSwitchRequest(
                  s.step(),
                  s.toName(),
                  s.to(),
                  s.fromName(),
                  s.from(),
                  s.reversePublication(),
                  s.reverseSubscription(),
                  s.deadline(),
                  s.goOnDeadline(),
                  s.appRoles(),
                  s.bouncer(),
                  backCommands(s),
                  s.copySequences(),
                  false,
                  ReverseAndVerify.NONE,
                  null,
                  null);
          return new SwitchSection(sessions, heartbeat).run(back, hold, SwitchInstant.none());
        });
  }

  /** The forward subscription is still there: old was never left; it serves again. */
  private PgSwitchResult notSwitched(
      PgSwitchRequest s, SwitchHold hold, PgSession from, PgSession to) {
    heartbeat.beat(new PgSwitchProgress("unfreeze", 0, 0));
    hold.prepare();
    SwitchFreeze.unfreeze(from);
    hold.pointAt(s.from());
    hold.release();
    ReverseReplication.Teardown removed =
        new ReverseReplication(
                sessions,
                s.step(),
                s.to(),
                s.publication(),
                s.subscription(),
                s.reversePublication(),
                s.reverseSubscription())
            .teardown(from, to);
    return new PgSwitchResult(
        0,
        null,
        0,
        List.of(),
        0,
        hold.describe(),
        false,
        false,
        null,
        null,
        "not switched (the subscription on "
            + s.toName()
            + " was still there): "
            + s.fromName()
            + " serves"
            + (removed.subscription() || removed.slot() || removed.publication()
                ? "; the replication back was removed"
                : ""));
  }

  /** The switch's inside commands that have a way back, as the way back runs them. */
  static List<PgSwitchCommand> backCommands(PgSwitchRequest s) {
    return s.inside().stream()
        .filter(c -> c.back() != null && !c.back().isBlank())
        .map(c -> new PgSwitchCommand(c.hostName(), c.host(), c.back(), null))
        .toList();
  }
}
