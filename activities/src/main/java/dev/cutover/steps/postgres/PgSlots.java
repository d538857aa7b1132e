package dev.cutover.steps.postgres;

import dev.cutover.hosts.Pause;
import java.time.Duration;
import java.util.List;

/** Replication slots on a publishing server: looked up, created for a subscription, dropped. */
public final class PgSlots {
  /**
   * How long a slot may stay in use after its subscription was disabled before its WAL sender is
   * ended.
   */
  static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

  private static final long POLL_MILLIS = 200;

  private PgSlots() {}

  /**
   * A slot.
   *
   * @param activePid the WAL sender using it; {@code null} when none
   * @param plugin its output plugin (pgoutput for subscriptions)
   * @param database the database it decodes
   * @param confirmedLsn what its consumer has confirmed applying
   */
  public record Slot(
      String name, Integer activePid, String plugin, String database, String confirmedLsn) {
    public boolean active() {
      return activePid != null;
    }
  }

  /** The slot; {@code null} when there is none. */
  public static Slot find(PgSession source, String name) {
    PgRows rows =
        source.query(
            "select slot_name, active_pid, plugin, database, confirmed_flush_lsn from pg_replication_slots"
                + " where slot_name = "
                + PgQuote.literal(name));
    if (rows.isEmpty()) {
      return null;
    }
    String pid = rows.get(0, "active_pid");
    return new Slot(
        name,
        pid == null ? null : Integer.valueOf(pid),
        rows.get(0, "plugin"),
        rows.get(0, "database"),
        rows.get(0, "confirmed_flush_lsn"));
  }

  /**
   * A logical slot for a subscription. Made here rather than by CREATE SUBSCRIPTION, so the
   * subscription and its marking comment can be created in one transaction (a subscription that
   * creates its slot cannot run in one).
   */
  static void create(PgSession source, String name) {
    source.query(
        "select pg_create_logical_replication_slot(" + PgQuote.literal(name) + ", 'pgoutput')");
  }

  /**
   * Drops the slot; false when it was already gone. A slot a just-disabled subscription still holds
   * is released within moments; one still held after {@link #RELEASE_WAIT} has its WAL sender
   * ended, since nothing should consume it any more.
   */
  public static boolean drop(PgSession source, String name) {
    long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
    while (true) {
      Slot slot = find(source, name);
      if (slot == null) {
        return false;
      }
      if (!slot.active()) {
        source.query(
            "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = "
                + PgQuote.literal(name)
                + " and not active");
        if (find(source, name) == null) {
          return true;
        }
      } else if (System.nanoTime() > deadline) {
        source.query("select pg_terminate_backend(" + slot.activePid() + ")");
      }
      pause();
    }
  }

  /**
   * The slots a subscription's table synchronisation made ({@code pg_<subscription
   * oid>_sync_<table>_<system>}).
   */
  public static List<String> syncSlots(PgSession source, long subscriptionOid) {
    return source
        .query(
            "select slot_name from pg_replication_slots where slot_name like "
                + PgQuote.literal("pg\\_" + subscriptionOid + "\\_sync\\_%"))
        .column("slot_name");
  }

  private static void pause() {
    Pause.sleep(Duration.ofMillis(POLL_MILLIS), "dropping a replication slot");
  }
}
