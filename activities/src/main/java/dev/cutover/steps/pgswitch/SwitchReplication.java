package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Pause;
import dev.cutover.secrets.ActivitySecrets;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgPublications;
import dev.cutover.steps.postgres.PgQuote;
import dev.cutover.steps.postgres.PgRows;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.steps.postgres.PgSlots;
import dev.cutover.steps.postgres.PgSubscriptions;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication a switch ends, around its section: ready to switch before the freeze (applying,
 * every table copied, close behind), what the target confirmed while frozen, and its slot and
 * publication removed from the source after the release.
 */
final class SwitchReplication {
  private static final Logger log = LoggerFactory.getLogger(SwitchSection.class);

  private final PgSwitchRequest r;
  private final Runnable beat;

  /**
   * @param r the section's request
   * @param beat heartbeats while it waits
   */
  SwitchReplication(PgSwitchRequest r, Runnable beat) {
    this.r = r;
    this.beat = beat;
  }

  /**
   * The subscription must be applying, every table past its initial copy, the lag small: enables
   * it, makes its commits synchronous, waits for its apply worker. Returns the lag in bytes.
   */
  long check(PgSession from, PgSession to, PgSubscriptions.Subscription subscription) {
    if (!subscription.enabled()) {
      PgSubscriptions.enable(to, r.subscription());
    }
    if (!"on"
        .equals(
            to.query("select subsynccommit from pg_subscription where oid = " + subscription.oid())
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
    long lagBytes = Math.max(0, slot.singleLong());
    if (initialising > 0 || lagBytes > SwitchSection.MAX_LAG_BYTES) {
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
                  : lagBytes + " bytes of WAL behind (at most " + SwitchSection.MAX_LAG_BYTES + ")")
              + "; nothing was frozen",
          SwitchErrors.REPLICATION_BEHIND);
    }
    beat.run();
    return lagBytes;
  }

  /**
   * Before the freeze: the subscription's apply worker runs (a changed setting restarts it, and the
   * launcher takes a few seconds to start it again).
   */
  void awaitApplyWorker(PgSession to) {
    String query =
        "select count(*) from pg_stat_subscription st join pg_subscription s on s.oid = st.subid"
            + " where st.relid is null and st.pid is not null and s.subname = "
            + PgQuote.literal(r.subscription())
            + " and s.subdbid = (select oid from pg_database where datname = current_database())";
    long until = System.nanoTime() + SwitchSection.APPLY_WORKER_WAIT.toNanos();
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
                + SwitchSection.APPLY_WORKER_WAIT.toSeconds()
                + " s (see the server's log); nothing was frozen",
            SwitchErrors.REPLICATION_BEHIND);
      }
      beat.run();
      Pause.sleep(Duration.ofMillis(100), "step " + r.step() + " waiting for the apply worker");
    }
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
          ActivitySecrets.mask(
              e instanceof ApplicationFailure f ? f.getOriginalMessage() : String.valueOf(e)));
    }
  }

  /**
   * What the subscriber has confirmed on the source's slot: every transaction before it is applied
   * and on the subscriber's disk (its commits are synchronous, see {@link #check}). The apply
   * worker's received position is no proof: it moves before the transaction it received is applied.
   */
  static String confirmedQuery(String slot) {
    return "select confirmed_flush_lsn::text as confirmed from pg_replication_slots where slot_name = "
        + PgQuote.literal(slot);
  }

  String slotName(PgSubscriptions.Subscription subscription) {
    return subscription.slot() == null ? r.subscription() : subscription.slot();
  }
}
