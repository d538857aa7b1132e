package dev.cutover.steps.postgres;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.Pause;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.secrets.ActivitySecrets;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pg-replicate}: logical replication from source to target, set up, measured, finished and
 * torn down. What the setup creates carries the comment {@code cutover:<step>}, so a retry after a
 * crash still knows it created a publication or subscription it finds; the slot is the
 * subscription's. Nothing is created before every prerequisite has been checked, and a setup that
 * then fails for good drops what it created.
 */
public class PgReplication {
  private static final Logger log = LoggerFactory.getLogger(PgReplication.class);
  static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
  static final String MARK = "cutover:";

  private final PgSessions sessions;
  private final PgCopier copier;

  public PgReplication(PgSessions sessions, PgCopier copier) {
    this.sessions = sessions;
    this.copier = copier;
  }

  // --- setup ------------------------------------------------------------------------------------

  /**
   * Sets up or reuses the replication; {@code heartbeat} is fed while the schema is copied and
   * throws when canceled.
   */
  public PgReplicationSetupResult setup(
      PgReplicationSetupRequest r, Heartbeat<PgCopyProgress> heartbeat) {
    return inStep(
        r.step(),
        () -> {
          String slot = slot(r.slot(), r.subscription());
          String marker = MARK + r.step();
          Runnable beat = () -> heartbeat.beat(new PgCopyProgress(0, 0, "replication setup"));
          try (PgSession source = sessions.open("source", r.source(), beat);
              PgSession target = sessions.open("target", r.target(), beat)) {
            PgSubscriptions.Subscription existing = PgSubscriptions.find(target, r.subscription());
            String publicationComment = PgPublications.comment(source, r.publication());
            PgSlots.Slot existingSlot = PgSlots.find(source, slot);
            List<String> problems =
                new ArrayList<>(
                    PgReplicationChecks.publisher(
                        source, r.tables(), publicationComment == null, existingSlot == null));
            if (existing == null) {
              problems.addAll(PgReplicationChecks.subscriber(target));
              if (existingSlot != null && existingSlot.active()) {
                problems.add(
                    "replication slot "
                        + slot
                        + " on "
                        + source.describe()
                        + " is in use by another consumer (pid "
                        + existingSlot.activePid()
                        + "): name another slot, or drop that one");
              } else if (existingSlot != null && !"pgoutput".equals(existingSlot.plugin())) {
                problems.add(
                    "replication slot "
                        + slot
                        + " on "
                        + source.describe()
                        + " decodes with "
                        + existingSlot.plugin()
                        + ", not pgoutput: name another slot, or drop that one");
              }
            }
            refuse(r.step(), problems);

            boolean copySchema = r.copySchema() && r.copyData() && existing == null;
            if (copySchema) {
              // pg_dump -t dumps tables without their schemas: those must exist for the restore.
              for (String schema :
                  r.tables().stream()
                      .map(PgQuote::split)
                      .map(p -> p.size() == 1 ? "public" : p.get(0))
                      .distinct()
                      .toList()) {
                target.execute("CREATE SCHEMA IF NOT EXISTS " + PgQuote.ident(schema));
              }
              copier.copySchema(r.step(), r.source(), r.target(), r.tables(), heartbeat);
            } else if (existing == null) {
              List<String> missing =
                  PgReplicationChecks.missingTables(
                      target, PgReplicationChecks.publishedTables(source, r.tables()));
              refuse(
                  r.step(),
                  missing.stream()
                      .map(
                          t ->
                              "table "
                                  + t
                                  + " does not exist on "
                                  + target.describe()
                                  + ": create it there, or let the step copy the schema (copySchema: true)")
                      .toList());
            }

            Created created = new Created();
            try {
              boolean publicationCreated;
              if (publicationComment == null) {
                PgPublications.create(source, r.publication(), r.tables(), marker);
                created.publication = true;
                publicationCreated = true;
              } else {
                publicationCreated = marker.equals(publicationComment);
                created.publication = publicationCreated;
              }
              boolean subscriptionCreated;
              if (existing == null) {
                if (existingSlot == null) {
                  PgSlots.create(source, slot);
                }
                // A slot found without its subscription is a crashed attempt's, or unused: this
                // setup owns it now.
                created.slot = true;
                createSubscription(r, target, slot, marker);
                created.subscription = true;
                subscriptionCreated = true;
              } else {
                subscriptionCreated = marker.equals(existing.comment());
                created.subscription = subscriptionCreated;
                created.slot = subscriptionCreated;
                if (!existing.enabled()) {
                  PgSubscriptions.enable(target, r.subscription());
                }
              }
              return new PgReplicationSetupResult(
                  r.publication(),
                  r.subscription(),
                  slot,
                  publicationCreated,
                  subscriptionCreated,
                  copySchema,
                  PgReplicationChecks.publishedTables(source, r.tables()),
                  source.serverVersion(),
                  target.serverVersion());
            } catch (ApplicationFailure f) {
              if (f.isNonRetryable()) {
                undo(r, slot, created);
              }
              throw f;
            }
          }
        });
  }

  private void createSubscription(
      PgReplicationSetupRequest r, PgSession target, String slot, String marker) {
    String password = sessions.password(r.source());
    String conninfo = PgConnInfo.forSubscription(r.source(), password);
    try {
      PgSubscriptions.create(
          target,
          r.subscription(),
          conninfo,
          password,
          r.publication(),
          slot,
          r.copyData(),
          marker);
    } catch (ApplicationFailure f) {
      String message = f.getOriginalMessage();
      // The target logs in to the source on its own: the worker's login working says nothing about
      // pg_hba there.
      if (message.contains("could not connect to the publisher")
          && (message.contains("authentication failed")
              || message.contains("pg_hba.conf")
              || message.contains("does not exist"))) {
        throw ApplicationFailure.newNonRetryableFailure(
            message
                + "; the target server connects to the source at "
                + PgConnInfo.address(r.source())
                + ":"
                + r.source().portOrDefault()
                + " as "
                + r.source().user()
                + ": allow that in the source's pg_hba.conf",
            CutoverErrors.DB_AUTH_FAILED);
      }
      throw f;
    }
  }

  /** What this setup made, for dropping it again when it fails for good. */
  private static final class Created {
    boolean publication;
    boolean slot;
    boolean subscription;
  }

  /** Best effort: the failure that got here is what the operator must see. */
  private void undo(PgReplicationSetupRequest r, String slot, Created created) {
    try (PgSession source = sessions.open("source", r.source());
        PgSession target = sessions.open("target", r.target())) {
      if (created.subscription) {
        dropSubscription(source, target, r.subscription());
      }
      if (created.slot) {
        PgSlots.drop(source, slot);
      }
      if (created.publication) {
        PgPublications.drop(source, r.publication());
      }
    } catch (ApplicationFailure e) {
      log.warn(
          "step {}: could not drop what the failed setup created ({}); the teardown or a person must",
          r.step(),
          ActivitySecrets.mask(e.getOriginalMessage()));
    }
  }

  // --- lag --------------------------------------------------------------------------------------

  /** How far the subscription is behind. */
  public PgReplicationLagResult lag(PgReplicationLagRequest r) {
    return inStep(
        r.step(),
        () -> {
          try (PgSession source = sessions.open("source", r.source());
              PgSession target = sessions.open("target", r.target())) {
            return measure(
                r.step(), source, target, r.subscription(), slot(r.slot(), r.subscription()));
          }
        });
  }

  private static PgReplicationLagResult measure(
      String step, PgSession source, PgSession target, String subscription, String slot) {
    PgRows position =
        source.query(
            "select pg_current_wal_lsn()::text as current, s.confirmed_flush_lsn::text as confirmed,"
                + " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn), 0)::bigint as lag"
                + " from pg_replication_slots s where s.slot_name = "
                + PgQuote.literal(slot));
    if (position.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step "
              + step
              + ": replication slot "
              + slot
              + " is not on "
              + source.describe()
              + ": the replication was dropped or never set up; set it up again",
          CutoverErrors.STATE_CONFLICT);
    }
    long initialising =
        target
            .query(
                "select count(*) from pg_subscription_rel r join pg_subscription s on s.oid = r.srsubid"
                    + " where s.subdbid = (select oid from pg_database where datname = current_database()) and s.subname = "
                    + PgQuote.literal(subscription)
                    + " and r.srsubstate <> 'r'")
            .singleLong();
    String confirmed = position.get(0, "confirmed");
    return new PgReplicationLagResult(
        position.get(0, "current"),
        confirmed == null ? "0/0" : confirmed,
        Math.max(0, Long.parseLong(position.get(0, "lag"))),
        (int) initialising,
        Instant.now());
  }

  // --- finish -----------------------------------------------------------------------------------

  /**
   * Waits until the target has applied everything the source had written when this started, copies
   * the sequences, drops the subscription and its slot. {@code heartbeat} gets the lag each poll
   * and throws when canceled.
   */
  public PgReplicationFinishResult finish(
      PgReplicationFinishRequest r, Heartbeat<PgReplicationLagResult> heartbeat) {
    return inStep(
        r.step(),
        () -> {
          String slot = slot(r.slot(), r.subscription());
          Duration poll =
              r.pollInterval() == null || r.pollInterval().isZero() || r.pollInterval().isNegative()
                  ? DEFAULT_POLL
                  : r.pollInterval();
          // While a statement runs long, the heartbeat repeats the last lag measured (none before
          // the first).
          PgReplicationLagResult[] last = {
            new PgReplicationLagResult(null, null, 0, 0, Instant.now())
          };
          Heartbeat<PgReplicationLagResult> beats =
              lag -> {
                last[0] = lag;
                heartbeat.beat(lag);
              };
          Runnable beat = () -> heartbeat.beat(last[0]);
          try (PgSession source = sessions.open("source", r.source(), beat);
              PgSession target = sessions.open("target", r.target(), beat)) {
            PgSubscriptions.Subscription subscription =
                PgSubscriptions.find(target, r.subscription());
            String finalLsn;
            long waited = 0;
            if (subscription != null) {
              if (!subscription.enabled()) {
                // an earlier attempt disabled it and died before dropping it: it must apply the
                // rest first
                PgSubscriptions.enable(target, r.subscription());
              }
              long started = System.nanoTime();
              finalLsn = catchUp(r.step(), source, target, r.subscription(), slot, poll, beats);
              waited = (System.nanoTime() - started) / 1_000_000;
            } else {
              PgSlots.Slot leftover = PgSlots.find(source, slot);
              finalLsn =
                  leftover != null && leftover.confirmedLsn() != null
                      ? leftover.confirmedLsn()
                      : source.query("select pg_current_wal_lsn()::text").single();
            }
            List<PgSequenceValue> sequences =
                r.copySequences()
                    ? PgSequences.copy(r.step(), source, target, r.sequences())
                    : List.of();
            boolean subscriptionDropped = dropSubscription(source, target, r.subscription());
            boolean slotDropped = PgSlots.drop(source, slot);
            boolean publicationDropped =
                r.dropPublication() && PgPublications.drop(source, r.publication());
            return new PgReplicationFinishResult(
                finalLsn, waited, sequences, subscriptionDropped, slotDropped, publicationDropped);
          }
        });
  }

  /**
   * Reads the source's position once and polls until the slot has confirmed it and every table's
   * initial copy is done. Writes should have stopped; if they go on, this still ends once the
   * position read at the start is applied. Returns the confirmed position.
   */
  private static String catchUp(
      String step,
      PgSession source,
      PgSession target,
      String subscription,
      String slot,
      Duration poll,
      Heartbeat<PgReplicationLagResult> heartbeat) {
    String goal = source.query("select pg_current_wal_lsn()::text").single();
    while (true) {
      PgReplicationLagResult lag = measure(step, source, target, subscription, slot);
      heartbeat.beat(lag);
      if (lag.tablesInitialising() == 0 && PgLsn.reached(lag.confirmedLsn(), goal)) {
        return lag.confirmedLsn();
      }
      Pause.sleep(poll, "step " + step + " waiting for the replication");
    }
  }

  // --- teardown ---------------------------------------------------------------------------------

  /** Drops what the setup created and nothing else; what is gone already is fine. */
  public PgReplicationTeardownResult teardown(PgReplicationTeardownRequest r) {
    return inStep(
        r.step(),
        () -> {
          PgReplicationSetupResult setup = r.setup();
          if (setup == null || !(setup.subscriptionCreated() || setup.publicationCreated())) {
            return new PgReplicationTeardownResult(false, false, false);
          }
          try (PgSession source = sessions.open("source", r.source());
              PgSession target = sessions.open("target", r.target())) {
            boolean subscriptionDropped = false;
            boolean slotDropped = false;
            if (setup.subscriptionCreated()) {
              subscriptionDropped = dropSubscription(source, target, setup.subscription());
              slotDropped = PgSlots.drop(source, slot(setup.slot(), setup.subscription()));
            }
            boolean publicationDropped =
                setup.publicationCreated() && PgPublications.drop(source, setup.publication());
            return new PgReplicationTeardownResult(
                subscriptionDropped, slotDropped, publicationDropped);
          }
        });
  }

  // --- shared -----------------------------------------------------------------------------------

  /**
   * Drops the subscription and the slots its table synchronisation left on the source (a
   * subscription dropped without its slot does not reach for them). False when it was gone.
   */
  private static boolean dropSubscription(PgSession source, PgSession target, String name) {
    PgSubscriptions.Subscription subscription = PgSubscriptions.find(target, name);
    if (subscription == null) {
      return false;
    }
    PgSubscriptions.drop(target, name);
    for (String sync : PgSlots.syncSlots(source, subscription.oid())) {
      PgSlots.drop(source, sync);
    }
    return true;
  }

  private static String slot(String slot, String subscription) {
    return slot == null || slot.isBlank() ? subscription : slot;
  }

  private static void refuse(String step, List<String> problems) {
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + step + ": logical replication cannot start: " + String.join("; ", problems),
          CutoverErrors.DB_PREREQUISITE);
    }
  }

  /** Puts the step's name before failures that name only the database. */
  private static <T> T inStep(String step, Supplier<T> work) {
    return ShellFailures.inStep(step, work);
  }
}
