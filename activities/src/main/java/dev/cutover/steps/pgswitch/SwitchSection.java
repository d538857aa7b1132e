package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.Pause;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.secrets.ActivitySecrets;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgLsn;
import dev.cutover.steps.postgres.PgPublications;
import dev.cutover.steps.postgres.PgQuote;
import dev.cutover.steps.postgres.PgRows;
import dev.cutover.steps.postgres.PgSequenceValue;
import dev.cutover.steps.postgres.PgSequences;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.steps.postgres.PgSlots;
import dev.cutover.steps.postgres.PgSubscriptions;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
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

  /** Longest an inside command may run: it runs while clients wait. */
  static final Duration INSIDE_TIMEOUT = Duration.ofSeconds(60);

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
    String phase = "prepare";
    long lagBytes;
    long frozenSince;

    Run(PgSwitchRequest r, SwitchHold hold, SwitchInstant instant) {
      this.r = r;
      this.hold = hold;
      this.instant = instant;
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
        List<HostShell> shells = insideShells();
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
          return rollForward(from, to, fromFrozen, toFrozen != null, shells);
        }
        if (fromFrozen != null) {
          // An attempt froze and died before the commit point: the source serves again first.
          log.warn(
              "step {}: {} was frozen by an attempt that did not reach the commit point; unfreezing it and starting over",
              r.step(),
              from.describe());
          SwitchFreeze.unfreeze(from);
          hold.pointAt(r.from());
          hold.release();
          roles = SwitchFreeze.prepare(r.step(), from);
        }
        checkReplication(from, to, subscription);
        return switchOver(from, to, subscription, roles, toFrozen != null, shells);
      }
    }

    /** The subscription must be applying, every table past its initial copy, the lag small. */
    void checkReplication(PgSession from, PgSession to, PgSubscriptions.Subscription subscription) {
      if (!subscription.enabled()) {
        PgSubscriptions.enable(to, r.subscription());
      }
      if (!"on"
          .equals(
              to.query(
                      "select subsynccommit from pg_subscription where oid = " + subscription.oid())
                  .single())) {
        // The subscriber then confirms a transaction only once it is on its disk, and at once:
        // the source's slot tells the catch-up exactly what new holds, without waiting for the
        // subscriber's WAL writer.
        to.execute(
            "ALTER SUBSCRIPTION "
                + PgQuote.ident(r.subscription())
                + " SET (synchronous_commit = 'on')");
      }
      awaitApplyWorker(to);
      long initialising =
          to.query(
                  "select count(*) from pg_subscription_rel where srsubid = "
                      + subscription.oid()
                      + " and srsubstate <> 'r'")
              .singleLong();
      PgRows slot =
          from.query(
              "select coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint as lag"
                  + " from pg_replication_slots where slot_name = "
                  + PgQuote.literal(slotName(subscription)));
      if (slot.isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "step "
                + r.step()
                + ": replication slot "
                + slotName(subscription)
                + " is not on "
                + from.describe()
                + ": the replication was dropped; set it up again with pg-replicate",
            CutoverErrors.STATE_CONFLICT);
      }
      lagBytes = Math.max(0, slot.singleLong());
      if (initialising > 0 || lagBytes > MAX_LAG_BYTES) {
        // Retried: the replication catches up on its own, and nothing is frozen yet.
        throw ApplicationFailure.newFailure(
            "step "
                + r.step()
                + ": "
                + to.describe()
                + " is not close enough to "
                + from.describe()
                + " to switch within a deadline: "
                + (initialising > 0
                    ? initialising + " tables still in their initial copy"
                    : lagBytes + " bytes of WAL behind (at most " + MAX_LAG_BYTES + ")")
                + "; nothing was frozen",
            SwitchErrors.REPLICATION_BEHIND);
      }
      beat();
    }

    /**
     * Before the freeze: the subscription's apply worker runs (a changed setting restarts it, and
     * the launcher takes a few seconds to start it again).
     */
    void awaitApplyWorker(PgSession to) {
      String query =
          "select count(*) from pg_stat_subscription st join pg_subscription s on s.oid = st.subid"
              + " where st.relid is null and st.pid is not null and s.subname = "
              + PgQuote.literal(r.subscription())
              + " and s.subdbid = (select oid from pg_database where datname = current_database())";
      long until = System.nanoTime() + APPLY_WORKER_WAIT.toNanos();
      while (to.query(query).singleLong() == 0) {
        if (System.nanoTime() > until) {
          throw ApplicationFailure.newFailure(
              "step "
                  + r.step()
                  + ": the subscription "
                  + r.subscription()
                  + " on "
                  + to.describe()
                  + " has no running apply worker after "
                  + APPLY_WORKER_WAIT.toSeconds()
                  + " s (see the server's log); nothing was frozen",
              SwitchErrors.REPLICATION_BEHIND);
        }
        beat();
        Pause.sleep(Duration.ofMillis(100), "step " + r.step() + " waiting for the apply worker");
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
        String query = confirmedQuery(slotName(subscription));
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
      cleanUpSource(from, subscription);
      String after = instant.afterRelease();
      failIfCommandsFailed(failed, frozenMillis);
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
      cleanUpSource(from, null);
      String after = instant.afterRelease();
      failIfCommandsFailed(failed, frozenMillis);
      return result(frozenMillis, null, sequences.size(), List.of(), false, true, after);
    }

    /**
     * After the commit point: the target takes writes (unfrozen when an earlier switch froze it),
     * the hold points at it, the inside commands run, clients go on. Returns the commands that
     * failed; the switch is done either way. A failure here releases the clients before it reaches
     * the caller, whose retry finishes the switch.
     */
    List<String> finish(PgSession to, boolean unfreezeTarget, List<HostShell> shells) {
      List<String> failed = new ArrayList<>();
      try {
        phase("repoint");
        if (unfreezeTarget) {
          SwitchFreeze.unfreeze(to);
        }
        hold.pointAt(r.to());
        for (int i = 0; i < r.inside().size(); i++) {
          PgSwitchCommand c = r.inside().get(i);
          ShellResult result = shells.get(i).exec(ShellCommand.of(c.command(), INSIDE_TIMEOUT));
          if (!result.ok()) {
            failed.add(
                "`"
                    + c.command()
                    + "` on "
                    + c.hostName()
                    + (result.timedOut()
                        ? " timed out"
                        : " exited " + result.exitCode() + ": " + result.lastLine()));
          }
        }
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

    /** Out of the window: the slot and publication of the replication that ended. */
    void cleanUpSource(PgSession from, PgSubscriptions.Subscription subscription) {
      try {
        String slot = subscription == null ? r.subscription() : slotName(subscription);
        PgSlots.drop(from, slot);
        if (subscription != null) {
          for (String sync : PgSlots.syncSlots(from, subscription.oid())) {
            PgSlots.drop(from, sync);
          }
        }
        PgPublications.drop(from, r.publication());
      } catch (RuntimeException e) {
        // The switch is done; a slot left behind only holds WAL on a server nobody writes to.
        log.warn(
            "step {}: switched, but could not drop the replication's slot or publication on {}: {}",
            r.step(),
            from.describe(),
            ActivitySecrets.mask(message(e)));
      }
    }

    void failIfCommandsFailed(List<String> failed, long frozenMillis) {
      if (!failed.isEmpty()) {
        throw ApplicationFailure.newFailure(
            "step "
                + r.step()
                + ": switched to "
                + r.toName()
                + " (writes frozen "
                + frozenMillis
                + " ms), but "
                + String.join("; ", failed)
                + "; a retry finishes the switch and runs the commands again",
            CutoverErrors.COMMAND_FAILED);
      }
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

    /** The hosts of the inside commands, reached now so the section pays no connection set-up. */
    List<HostShell> insideShells() {
      List<HostShell> shells = new ArrayList<>();
      for (PgSwitchCommand c : r.inside()) {
        HostShell shell = sessions.shells().shell(c.hostName(), c.host());
        ShellFailures.check(
            "host " + c.hostName(), shell.exec(ShellCommand.of("true", Duration.ofSeconds(30))));
        shells.add(shell);
      }
      return shells;
    }

    /**
     * What the subscriber has confirmed on the source's slot: every transaction before it is
     * applied and on the subscriber's disk (its commits are synchronous, see {@link
     * #checkReplication}). The apply worker's received position is no proof: it moves before the
     * transaction it received is applied.
     */
    String confirmedQuery(String slot) {
      return "select confirmed_flush_lsn::text as confirmed from pg_replication_slots where slot_name = "
          + PgQuote.literal(slot);
    }

    String slotName(PgSubscriptions.Subscription subscription) {
      return subscription.slot() == null ? r.subscription() : subscription.slot();
    }

    Duration remaining(long deadline) {
      return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
  }

  private static String message(RuntimeException e) {
    return e instanceof ApplicationFailure f ? f.getOriginalMessage() : String.valueOf(e);
  }
}
