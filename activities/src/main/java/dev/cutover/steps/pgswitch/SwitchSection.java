package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.Pause;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.secrets.ActivitySecrets;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgLsn;
import dev.cutover.steps.postgres.PgRows;
import dev.cutover.steps.postgres.PgSequenceValue;
import dev.cutover.steps.postgres.PgSequences;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.steps.postgres.PgSubscriptions;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The critical section of a switch, direction-agnostic: from the request's {@code from} to its
 * {@code to}, through the subscription on {@code to}. The way back runs it with the two reversed
 * and the replication back's names.
 *
 * <p>Everything that costs a connection or a lookup happens before the freeze (sessions, the hold,
 * the hosts of the inside commands, the roles to revoke, the lag). From the freeze on, each step is
 * a statement or two on sessions already open, and the catch-up is polled every {@link #POLL}.
 */
public final class SwitchSection {
  private static final Logger log = LoggerFactory.getLogger(SwitchSection.class);

  /** How often the target's applied position is read while writes are frozen. */
  static final Duration POLL = Duration.ofMillis(10);

  /**
   * A target further behind than this when the switch starts could not catch up within any deadline
   * a plan may set: the switch waits for a later try instead of freezing.
   */
  static final long MAX_LAG_BYTES = 64L << 20;

  /** Longest the section waits, before the freeze, for the subscription's apply worker. */
  static final Duration APPLY_WORKER_WAIT = Duration.ofSeconds(30);

  /** Seam points, after the catch-up (before the commit point) and after the commit point. */
  static final String CAUGHT_UP = "caught-up";

  static final String COMMITTED = "committed";

  private final PgSessions sessions;
  private final Heartbeat<PgSwitchProgress> heartbeat;
  private final SwitchSeam seam;

  public SwitchSection(PgSessions sessions, Heartbeat<PgSwitchProgress> heartbeat) {
    this(sessions, heartbeat, SwitchSeam.NONE);
  }

  SwitchSection(PgSessions sessions, Heartbeat<PgSwitchProgress> heartbeat, SwitchSeam seam) {
    this.sessions = sessions;
    this.heartbeat = heartbeat;
    this.seam = seam;
  }

  /**
   * Prepares, freezes {@code from}, waits until {@code to} has applied all of it, copies the
   * sequences, runs {@code instant}, drops the subscription (the commit point), points {@code hold}
   * at {@code to}, runs the inside commands and releases; then {@link SwitchInstant#afterRelease}.
   * A retry after a worker death inside it ends with {@code from} serving or {@code to} fully
   * switched.
   */
  public PgSwitchResult run(PgSwitchRequest request, SwitchHold hold, SwitchInstant instant) {
    return ShellFailures.inStep(request.step(), () -> new Run(request, hold, instant).run());
  }

  /** One run of the section: its sessions and what it measured. */
  private final class Run {
    final PgSwitchRequest r;
    final SwitchHold hold;
    final SwitchInstant instant;
    final SwitchReplication replication;
    String phase = "prepare";
    long lagBytes;
    long frozenSince;

    Run(PgSwitchRequest r, SwitchHold hold, SwitchInstant instant) {
      this.r = r;
      this.hold = hold;
      this.instant = instant;
      this.replication = new SwitchReplication(r, this::beat);
    }

    /** Where the frozen time went, for the log: {@code freeze 3 ms, catch-up 41 ms, ...}. */
    final StringBuilder timings = new StringBuilder();

    long phaseStart;

    void phase(String name) {
      long now = System.nanoTime();
      if (frozenSince != 0 && phaseStart != 0) {
        timings
            .append(timings.length() == 0 ? "" : ", ")
            .append(phase)
            .append(' ')
            .append(String.format("%.1f ms", (now - phaseStart) / 1e6));
      }
      phaseStart = now;
      phase = name;
      beat();
    }

    void beat() {
      long frozen = frozenSince == 0 ? 0 : (System.nanoTime() - frozenSince) / 1_000_000;
      heartbeat.beat(new PgSwitchProgress(phase, lagBytes, frozen));
    }

    PgSwitchResult run() {
      beat();
      try (PgSession from = sessions.open(r.fromName(), r.from(), this::beat);
          PgSession to = sessions.open(r.toName(), r.to(), this::beat)) {
        hold.prepare();
        List<HostShell> shells = SwitchInside.reach(r, sessions);
        PgSubscriptions.Subscription subscription = PgSubscriptions.find(to, r.subscription());
        SwitchFreeze.Frozen fromFrozen = SwitchFreeze.read(from);
        List<String> roles = SwitchFreeze.prepare(r.step(), from);
        SwitchFreeze.Frozen toFrozen = SwitchFreeze.read(to);
        if (toFrozen != null) {
          SwitchFreeze.prepare(r.step(), to);
        }
        if (subscription == null) {
          if (fromFrozen == null) {
            throw ApplicationFailure.newNonRetryableFailure(
                "step "
                    + r.step()
                    + ": there is no subscription "
                    + r.subscription()
                    + " on "
                    + to.describe()
                    + " and "
                    + from.describe()
                    + " is not frozen by a switch: a pg-replicate step (action start) from "
                    + r.fromName()
                    + " to "
                    + r.toName()
                    + " must run before the switch",
                CutoverErrors.STATE_CONFLICT);
          }
          // The commit point was passed by an attempt that died: finish that switch.
          try {
            return rollForward(from, to, fromFrozen, toFrozen != null, shells);
          } catch (RuntimeException e) {
            // Past the commit point the clients belong on the target: never leave them held
            // (the dead attempt's pause outlives it) while the step waits for a retry or a person.
            settle(e, r.to());
            throw e;
          }
        }
        if (fromFrozen != null) {
          // An attempt froze and died before the commit point: the source serves again first.
          log.warn(
              "step {}: {} was frozen by an attempt that did not reach the commit point; unfreezing it and starting over",
              r.step(),
              from.describe());
          try {
            SwitchFreeze.unfreeze(from);
            hold.pointAt(r.from());
            hold.release();
          } catch (RuntimeException e) {
            settle(e, r.from());
            throw e;
          }
          roles = SwitchFreeze.prepare(r.step(), from);
        }
        lagBytes = replication.check(from, to, subscription);
        hold.stage(r.to());
        return switchOver(from, to, subscription, roles, toFrozen != null, shells);
      }
    }

    PgSwitchResult switchOver(
        PgSession from,
        PgSession to,
        PgSubscriptions.Subscription subscription,
        List<String> roles,
        boolean unfreezeTarget,
        List<HostShell> shells) {
      frozenSince = System.nanoTime();
      long deadline = frozenSince + r.deadline().toNanos();
      boolean committed = false;
      boolean deadlinePassed = false;
      List<String> cut;
      String caughtUp;
      List<PgSequenceValue> sequences;
      try {
        phase("hold");
        hold.hold(remaining(deadline));
        hold.startRepoint(r.to());
        phase("freeze");
        SwitchFreeze.freeze(from, roles, System.currentTimeMillis());
        cut = SwitchFreeze.cutSessions(from, r.appRoles(), remaining(deadline).toMillis());
        // Commits the application was told about may not be on disk yet (synchronous_commit off),
        // and the walsender sends only what is. A transaction of our own that writes WAL (a
        // logical message, which subscriptions do not receive) commits synchronously and so
        // flushes every record before it: the flush position after it covers them all. (A
        // transaction that only takes an xid writes no WAL before its commit and is not flushed.)
        from.query("select pg_logical_emit_message(true, 'cutover', 'switch')");
        String goal = from.query("select pg_current_wal_flush_lsn()::text").single();
        phase("catch-up");
        String applied = null;
        String query = SwitchReplication.confirmedQuery(replication.slotName(subscription));
        while (true) {
          PgRows rows = from.query(query);
          applied = rows.isEmpty() ? null : rows.get(0, "confirmed");
          if (applied != null && PgLsn.reached(applied, goal)) {
            break;
          }
          lagBytes = applied == null ? -1 : Math.max(0, PgLsn.parse(goal) - PgLsn.parse(applied));
          beat();
          if (System.nanoTime() > deadline && !deadlinePassed) {
            deadlinePassed = true;
            if (!r.goOnDeadline()) {
              throw deadlinePassed(from, to, goal, applied);
            }
            log.warn(
                "step {}: deadline {} passed before {} caught up; going on as the plan says",
                r.step(),
                r.deadline(),
                to.describe());
          }
          Pause.sleep(POLL, "step " + r.step() + " waiting for " + to.describe());
        }
        caughtUp = applied;
        lagBytes = 0;
        seam.after(CAUGHT_UP);
        phase("sequences");
        sequences = r.copySequences() ? PgSequences.copy(r.step(), from, to, List.of()) : List.of();
        phase("instant");
        instant.atInstant(from, to);
        phase("repoint-ready");
        hold.awaitRepoint();
        phase("commit");
        PgSubscriptions.drop(to, r.subscription());
        committed = true;
      } catch (RuntimeException e) {
        if (!committed) {
          backOut(from, e);
        }
        throw e;
      }
      seam.after(COMMITTED);
      List<String> failed = finish(to, unfreezeTarget, shells);
      long frozenMillis = (System.nanoTime() - frozenSince) / 1_000_000;
      phase("after-release");
      frozenSince = 0;
      log.info("step {}: writes frozen {} ms: {}", r.step(), frozenMillis, timings);
      replication.cleanUpSource(from, subscription);
      String after = instant.afterRelease();
      SwitchInside.failIfAnyFailed(r, failed, frozenMillis);
      return result(frozenMillis, caughtUp, sequences.size(), cut, deadlinePassed, false, after);
    }

    /** An attempt passed the commit point and died: finish its switch; nothing is undone. */
    PgSwitchResult rollForward(
        PgSession from,
        PgSession to,
        SwitchFreeze.Frozen fromFrozen,
        boolean unfreezeTarget,
        List<HostShell> shells) {
      log.warn(
          "step {}: the subscription {} is gone and {} frozen: an earlier attempt passed the commit point; finishing its switch",
          r.step(),
          r.subscription(),
          from.describe());
      hold.stage(r.to());
      frozenSince = System.nanoTime();
      phase("hold");
      hold.hold(r.deadline());
      phase("sequences");
      List<PgSequenceValue> sequences =
          r.copySequences() ? PgSequences.copy(r.step(), from, to, List.of()) : List.of();
      phase("instant");
      instant.onRollForward(from, to);
      List<String> failed = finish(to, unfreezeTarget, shells);
      // Frozen since the earlier attempt froze: the workers' clocks are all there is to tell.
      long frozenMillis = Math.max(0, System.currentTimeMillis() - fromFrozen.frozenAtMillis());
      frozenSince = 0;
      phase("after-release");
      replication.cleanUpSource(from, null);
      String after = instant.afterRelease();
      SwitchInside.failIfAnyFailed(r, failed, frozenMillis);
      return result(frozenMillis, null, sequences.size(), List.of(), false, true, after);
    }

    /**
     * After the commit point: the target takes writes (unfrozen when an earlier switch froze it),
     * the hold points at it, the inside commands run, clients go on. Returns the commands that
     * failed; the switch is done either way. A failure here releases the clients before it reaches
     * the caller, whose retry finishes the switch.
     */
    List<String> finish(PgSession to, boolean unfreezeTarget, List<HostShell> shells) {
      try {
        phase("repoint");
        if (unfreezeTarget) {
          SwitchFreeze.unfreeze(to);
        }
        hold.pointAt(r.to());
        List<String> failed = SwitchInside.run(r, shells);
        phase("release");
        hold.release();
        return failed;
      } catch (RuntimeException e) {
        try {
          hold.release();
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
        throw ApplicationFailure.newFailure(
            "step "
                + r.step()
                + ": switched to "
                + r.toName()
                + " (the commit point is passed), but finishing failed: "
                + message(e)
                + "; a retry finishes the switch",
            SwitchErrors.UNFINISHED);
      }
    }

    /**
     * A failure while recovering from a dead attempt: the hold points at {@code side} if it can and
     * releases the clients, so they get that side's answers (or errors) instead of waiting on.
     */
    void settle(RuntimeException cause, PgEndpoint side) {
      try {
        hold.pointAt(side);
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
      try {
        hold.release();
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }

    /** Before the commit point: the source takes writes again and the hold points back at it. */
    void backOut(PgSession from, RuntimeException cause) {
      String was = phase;
      try {
        phase("unfreeze");
        SwitchFreeze.unfreeze(from);
        hold.pointAt(r.from());
        hold.release();
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
        log.error(
            "step {}: could not unfreeze {} after a failure in phase {}: {}; a retry unfreezes it",
            r.step(),
            from.describe(),
            was,
            ActivitySecrets.mask(message(e)));
      }
    }

    ApplicationFailure deadlinePassed(PgSession from, PgSession to, String goal, String applied) {
      long frozenMillis = (System.nanoTime() - frozenSince) / 1_000_000;
      return ApplicationFailure.newNonRetryableFailure(
          "step "
              + r.step()
              + ": "
              + to.describe()
              + " had not applied "
              + from.describe()
              + " up to "
              + goal
              + " within the deadline of "
              + r.deadline().toMillis()
              + " ms ("
              + (applied == null
                  ? "the slot confirms nothing"
                  : lagBytes + " bytes of WAL behind, at " + applied)
              + "); onDeadline is abort: "
              + r.fromName()
              + " was unfrozen and takes writes again"
              + (hold.describe() == null ? "" : ", " + hold.describe() + " points at it")
              + ", nothing was switched (writes were frozen "
              + frozenMillis
              + " ms). Find why the replication lags, or set a longer deadline or onDeadline: go, then retry the step",
          SwitchErrors.DEADLINE_PASSED);
    }

    PgSwitchResult result(
        long frozenMillis,
        String caughtUp,
        int sequences,
        List<String> cut,
        boolean deadlinePassed,
        boolean rolledForward,
        String after) {
      return new PgSwitchResult(
          frozenMillis,
          caughtUp,
          sequences,
          cut.subList(0, Math.min(cut.size(), PgSwitchResult.SESSIONS_KEPT)),
          cut.size(),
          hold.describe(),
          deadlinePassed,
          rolledForward,
          r.reverse() ? r.reversePublication() : null,
          r.reverse() ? r.reverseSubscription() : null,
          after);
    }

    Duration remaining(long deadline) {
      return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
  }

  private static String message(RuntimeException e) {
    return e instanceof ApplicationFailure f ? f.getOriginalMessage() : String.valueOf(e);
  }
}
