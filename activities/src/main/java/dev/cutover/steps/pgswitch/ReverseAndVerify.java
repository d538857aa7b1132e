package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.steps.postgres.PgReplicationParts;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.steps.postgres.PgSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a switch does at its instant and after its release, as its request asks: the replication
 * back ({@link ReverseReplication}) and the verify against snapshots of both sides ({@link
 * SwitchSnapshots}). Made before the freeze ({@link #prepare}), so the instant costs the section
 * two round trips for the snapshots and one statement for the slot.
 */
public final class ReverseAndVerify implements SwitchInstant {
  private static final Logger log = LoggerFactory.getLogger(ReverseAndVerify.class);

  /** The {@code verify} value that compares contents, not only row counts. */
  static final String CHECKSUMS = "checksums";

  /** The {@code verify} value that skips the verify. */
  static final String NONE = "none";

  private final PgSwitchRequest r;
  private final PgSessions sessions;
  private final Heartbeat<PgSwitchProgress> heartbeat;
  private final ReverseReplication reverse;
  private final SwitchSnapshots snapshots;
  private String slotLsn;
  private long instantMicros = -1;
  private long snapshotMicros;
  private boolean rolledForward;

  private ReverseAndVerify(
      PgSwitchRequest r, PgSessions sessions, Heartbeat<PgSwitchProgress> heartbeat) {
    this.r = r;
    this.sessions = sessions;
    this.heartbeat = heartbeat;
    this.reverse =
        r.reverse()
            ? new ReverseReplication(
                sessions,
                r.step(),
                r.to(),
                r.publication(),
                r.subscription(),
                r.reversePublication(),
                r.reverseSubscription())
            : null;
    String verify = r.verify() == null ? CHECKSUMS : r.verify();
    this.snapshots =
        NONE.equals(verify)
            ? null
            : new SwitchSnapshots(
                sessions,
                r.step(),
                r.fromName(),
                r.from(),
                r.toName(),
                r.to(),
                r.publication(),
                CHECKSUMS.equals(verify),
                r.reverse());
  }

  /** The worker's: the replication back and the verify, each when the request asks for it. */
  public static SwitchInstants factory() {
    return ReverseAndVerify::prepare;
  }

  /**
   * Before the freeze: the replication back's slow half is made, the snapshot sessions opened.
   * Nothing is made when there is no forward replication to switch through (the section refuses
   * that, or finishes a switch an earlier attempt committed, whose parts exist).
   */
  public static ReverseAndVerify prepare(
      PgSwitchRequest r, PgSessions sessions, Heartbeat<PgSwitchProgress> heartbeat) {
    ReverseAndVerify instant = new ReverseAndVerify(r, sessions, heartbeat);
    heartbeat.beat(new PgSwitchProgress("prepare", 0, 0));
    if (instant.reverse != null) {
      try (PgSession from = sessions.open(r.fromName(), r.from());
          PgSession to = sessions.open(r.toName(), r.to())) {
        boolean forward = PgReplicationParts.subscription(to, r.subscription()) != null;
        boolean made = PgReplicationParts.subscription(from, r.reverseSubscription()) != null;
        if (forward || made) {
          instant.reverse.prepare(from, to);
        }
      }
    }
    if (instant.snapshots != null) {
      instant.snapshots.prepare();
    }
    return instant;
  }

  @Override
  public void atInstant(PgSession from, PgSession to) {
    long started = System.nanoTime();
    if (snapshots != null) {
      snapshots.take();
    }
    snapshotMicros = (System.nanoTime() - started) / 1_000;
    if (reverse != null) {
      slotLsn = reverse.atInstant(to);
    }
    instantMicros = (System.nanoTime() - started) / 1_000;
  }

  /** The instant was an earlier attempt's: its slot stays (made then if missing), no verify. */
  @Override
  public void onRollForward(PgSession from, PgSession to) {
    rolledForward = true;
    if (reverse != null) {
      slotLsn = reverse.atInstant(to);
      if (slotLsn != null) {
        log.warn(
            "step {}: the replication back's slot was missing after the commit point and was made"
                + " now, at {}; writes on {} between the commit point and now are not in it",
            r.step(),
            slotLsn,
            r.toName());
      }
    }
  }

  /**
   * The replication back starts applying, then the verify runs in the snapshots. Returns the
   * summary's words; a mismatch fails ({@code SwitchVerifyMismatch}) with the switch done.
   */
  @Override
  public String afterRelease() {
    List<String> said = new ArrayList<>();
    try {
      if (instantMicros >= 0) {
        log.info(
            "step {}: the switch instant took {} ms: snapshots {} ms, the replication back's slot {} ms",
            r.step(),
            String.format(Locale.ROOT, "%.1f", instantMicros / 1000.0),
            String.format(Locale.ROOT, "%.1f", snapshotMicros / 1000.0),
            String.format(Locale.ROOT, "%.1f", (instantMicros - snapshotMicros) / 1000.0));
      }
      if (reverse != null) {
        try (PgSession from = sessions.open(r.fromName(), r.from())) {
          reverse.startApplying(from);
        }
        // (the step's line says "replicating back" from the result's names)
      }
      if (snapshots != null) {
        if (rolledForward || snapshots.snapshot() == null) {
          said.add("not verified: the switch instant was an earlier attempt's");
        } else {
          PgSwitchVerifyResult v =
              snapshots.verify(
                  table -> heartbeat.beat(new PgSwitchProgress("verify " + table, 0, 0)));
          said.add(
              "verified "
                  + v.tablesCompared()
                  + (v.tablesCompared() == 1 ? " table" : " tables")
                  + " against the switch snapshot"
                  + (v.checksums() ? "" : " (row counts)"));
        }
      }
    } finally {
      close();
    }
    return said.isEmpty() ? null : String.join("; ", said);
  }

  /** How long the instant took, in microseconds; -1 when this attempt had none. */
  public long instantMicros() {
    return instantMicros;
  }

  /** Ends the snapshot transactions; never throws. */
  @Override
  public void close() {
    if (snapshots != null) {
      snapshots.close();
    }
  }
}
