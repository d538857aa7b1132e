package dev.cutover.steps.postgres;

import io.temporal.failure.ApplicationFailure;
import java.util.List;

/**
 * The pieces of a logical replication (publication, slot, subscription, sequences), for steps of
 * other packages that set them up at moments of their own: pg-switch makes the replication back
 * from the new database in two halves, the slow part before the freeze and the slot at the switch
 * instant. The same statements and marks as {@code pg-replicate}'s, so either finds the other's.
 */
public final class PgReplicationParts {
  /** The comment prefix that marks what a step created: {@code cutover:<step>}. */
  public static final String MARK = PgReplication.MARK;

  private PgReplicationParts() {}

  /**
   * A subscription as its server has it.
   *
   * @param comment its comment, "" for none
   */
  public record SubscriptionState(long oid, boolean enabled, String slot, String comment) {}

  /**
   * A replication slot as its server has it.
   *
   * @param confirmedLsn what its consumer confirmed applying; {@code null} before it was used
   */
  public record SlotState(String name, boolean active, String confirmedLsn) {}

  // --- publications -----------------------------------------------------------------------------

  /** The publication's comment ("" for none); {@code null} when there is no such publication. */
  public static String publicationComment(PgSession s, String name) {
    return PgPublications.comment(s, name);
  }

  /**
   * The tables a publication holds as {@code schema.table}: empty for {@code FOR ALL TABLES},
   * {@code null} when there is no such publication.
   */
  public static List<String> publicationTables(PgSession s, String name) {
    PgRows all = s.query("select puballtables from pg_publication where pubname = " + lit(name));
    if (all.isEmpty()) {
      return null;
    }
    if ("t".equals(all.single())) {
      return List.of();
    }
    return s.query(
            "select schemaname || '.' || tablename as t from pg_publication_tables where pubname = "
                + lit(name)
                + " order by 1")
        .column("t");
  }

  /** Creates and marks the publication of {@code tables} (every table when empty). */
  public static void createPublication(PgSession s, String name, List<String> tables, String mark) {
    PgPublications.create(s, name, tables, mark);
  }

  /** Drops the publication; false when it was gone. */
  public static boolean dropPublication(PgSession s, String name) {
    return PgPublications.drop(s, name);
  }

  // --- checks -----------------------------------------------------------------------------------

  /** What keeps {@code s} from publishing {@code tables} (all when empty); empty when nothing. */
  public static List<String> publisherProblems(
      PgSession s, List<String> tables, boolean createsPublication, boolean needsSlot) {
    return PgReplicationChecks.publisher(s, tables, createsPublication, needsSlot);
  }

  /** What keeps {@code s}'s role from subscribing there; empty when nothing. */
  public static List<String> subscriberProblems(PgSession s) {
    return PgReplicationChecks.subscriber(s);
  }

  // --- slots ------------------------------------------------------------------------------------

  /** The slot; {@code null} when there is none. */
  public static SlotState slot(PgSession s, String name) {
    PgSlots.Slot slot = PgSlots.find(s, name);
    return slot == null ? null : new SlotState(name, slot.active(), slot.confirmedLsn());
  }

  /**
   * Creates a pgoutput slot and returns its consistent point: the slot sends every transaction that
   * commits after it. It waits for the transactions running on the server that have written.
   */
  public static String createSlot(PgSession s, String name) {
    return s.query(
            "select lsn::text from pg_create_logical_replication_slot("
                + lit(name)
                + ", 'pgoutput')")
        .single();
  }

  /** Drops the slot, ending a WAL sender that still holds it after a while; false when gone. */
  public static boolean dropSlot(PgSession s, String name) {
    return PgSlots.drop(s, name);
  }

  // --- subscriptions ----------------------------------------------------------------------------

  /** The subscription of the session's database; {@code null} when there is none. */
  public static SubscriptionState subscription(PgSession s, String name) {
    PgSubscriptions.Subscription sub = PgSubscriptions.find(s, name);
    return sub == null
        ? null
        : new SubscriptionState(sub.oid(), sub.enabled(), sub.slot(), sub.comment());
  }

  /**
   * Creates and marks, in one transaction, a subscription that does not apply yet: it learns the
   * publication's tables now (as ready, no initial copy) and starts from {@code slot} once enabled,
   * a slot that may not exist yet. Creating it costs a connection from this server to the
   * publisher; enabling it later costs none.
   *
   * @param conninfo how this server reaches the publisher, with its password: masked in failures
   * @param password the publisher's password, masked too
   */
  public static void createDisabledSubscription(
      PgSession s,
      String name,
      String conninfo,
      String password,
      String publication,
      String slot,
      String mark) {
    String sql =
        PgSubscriptions.quietLog(s)
            + "CREATE SUBSCRIPTION "
            + PgQuote.ident(name)
            + " CONNECTION "
            + lit(conninfo)
            + " PUBLICATION "
            + PgQuote.ident(publication)
            + " WITH (slot_name = "
            + lit(slot)
            + ", create_slot = false, copy_data = false, enabled = false);\n"
            + "COMMENT ON SUBSCRIPTION "
            + PgQuote.ident(name)
            + " IS "
            + lit(mark)
            + ";";
    try {
      PgSubscriptions.inTransaction(s, sql);
    } catch (ApplicationFailure f) {
      throw PgSubscriptions.masked(
          f, List.of(conninfo, lit(conninfo), password == null ? "" : password));
    }
  }

  public static void enableSubscription(PgSession s, String name) {
    PgSubscriptions.enable(s, name);
  }

  public static void disableSubscription(PgSession s, String name) {
    s.execute("ALTER SUBSCRIPTION " + PgQuote.ident(name) + " DISABLE");
  }

  /**
   * Drops the subscription on {@code subscriber} without reaching for its slot, then the slots its
   * table synchronisation left on {@code publisher}; the subscription's own slot is left to {@link
   * #dropSlot}. False when it was gone.
   */
  public static boolean dropSubscription(PgSession publisher, PgSession subscriber, String name) {
    PgSubscriptions.Subscription sub = PgSubscriptions.find(subscriber, name);
    if (sub == null) {
      return false;
    }
    PgSubscriptions.drop(subscriber, name);
    for (String sync : PgSlots.syncSlots(publisher, sub.oid())) {
      PgSlots.drop(publisher, sync);
    }
    return true;
  }

  // --- sequences --------------------------------------------------------------------------------

  /** Gives every sequence of {@code target} that {@code source} has the source's position. */
  public static List<PgSequenceValue> copySequences(
      String step, PgSession source, PgSession target) {
    return PgSequences.copy(step, source, target, List.of());
  }

  private static String lit(String value) {
    return PgQuote.literal(value);
  }
}
