package dev.cutover.steps.postgres;

import io.temporal.failure.ApplicationFailure;
import java.util.List;

/**
 * Subscriptions on a subscribing server. A subscription is created with its marking comment in one
 * transaction, on a slot made beforehand ({@link PgSlots#create}), and its connection string (which
 * holds the source's password) never reaches a message.
 */
public final class PgSubscriptions {
  private PgSubscriptions() {}

  /**
   * A subscription of the session's database.
   *
   * @param comment its comment, "" for none
   */
  public record Subscription(long oid, boolean enabled, String slot, String comment) {}

  /** The subscription; {@code null} when there is none. */
  public static Subscription find(PgSession target, String name) {
    PgRows rows =
        target.query(
            "select s.oid, s.subenabled, s.subslotname, coalesce(obj_description(s.oid, 'pg_subscription'), '') as comment"
                + " from pg_subscription s where s.subdbid = (select oid from pg_database where datname = current_database())"
                + " and s.subname = "
                + PgQuote.literal(name));
    if (rows.isEmpty()) {
      return null;
    }
    return new Subscription(
        Long.parseLong(rows.get(0, "oid")),
        "t".equals(rows.get(0, "subenabled")),
        rows.get(0, "subslotname"),
        rows.get(0, "comment"));
  }

  /**
   * Creates the subscription on the existing slot and marks it, in one transaction.
   *
   * @param conninfo how the target server reaches the source, with its password: masked in any
   *     failure
   * @param password the source's password, masked too (a server message may quote part of the
   *     string)
   */
  static void create(
      PgSession target,
      String name,
      String conninfo,
      String password,
      String publication,
      String slot,
      boolean copyData,
      String marker) {
    String sql =
        quietLog(target)
            + "CREATE SUBSCRIPTION "
            + PgQuote.ident(name)
            + " CONNECTION "
            + PgQuote.literal(conninfo)
            + " PUBLICATION "
            + PgQuote.ident(publication)
            + " WITH (slot_name = "
            + PgQuote.literal(slot)
            + ", create_slot = false, copy_data = "
            + copyData
            + ");\n"
            + "COMMENT ON SUBSCRIPTION "
            + PgQuote.ident(name)
            + " IS "
            + PgQuote.literal(marker)
            + ";";
    try {
      inTransaction(target, sql);
    } catch (ApplicationFailure f) {
      throw masked(
          f, List.of(conninfo, PgQuote.literal(conninfo), password == null ? "" : password));
    }
  }

  /**
   * Keeps the statement holding the password out of the server's log for this transaction: by
   * default a failed statement is logged in full (log_min_error_statement = error), and
   * log_statement = ddl would log it even when it succeeds. Only a superuser may change these;
   * other roles (PostgreSQL 16's pg_create_subscription) get the server's settings.
   */
  static String quietLog(PgSession target) {
    if (!"on".equals(target.query("select current_setting('is_superuser')").single())) {
      return "";
    }
    return "SET LOCAL log_statement = 'none';\nSET LOCAL log_min_error_statement = 'panic';\n"
        + "SET LOCAL log_min_duration_statement = -1;\n";
  }

  public static void enable(PgSession target, String name) {
    target.execute("ALTER SUBSCRIPTION " + PgQuote.ident(name) + " ENABLE");
  }

  /**
   * Disables and drops the subscription without touching the source (its slot is dropped there on
   * its own, {@link PgSlots#drop}): a DROP that reaches for the slot hangs or fails when the source
   * is gone. False when it was already gone.
   */
  public static boolean drop(PgSession target, String name) {
    if (find(target, name) == null) {
      return false;
    }
    String sub = PgQuote.ident(name);
    inTransaction(
        target,
        "ALTER SUBSCRIPTION "
            + sub
            + " DISABLE;\nALTER SUBSCRIPTION "
            + sub
            + " SET (slot_name = NONE);\n"
            + "DROP SUBSCRIPTION "
            + sub
            + ";");
    return true;
  }

  /**
   * Runs statements in one transaction. psql runs each statement of its input on its own, so the
   * block is explicit; after a failure a JDBC session would stay in the aborted block, so it is
   * rolled back (a psql session has ended already and the ROLLBACK only warns).
   */
  static void inTransaction(PgSession session, String statements) {
    try {
      session.execute("BEGIN;\n" + statements + "\nCOMMIT;");
    } catch (ApplicationFailure f) {
      try {
        session.execute("ROLLBACK");
      } catch (ApplicationFailure ignored) {
        // the session is gone: so is its transaction
      }
      throw f;
    }
  }

  /**
   * The same failure with the secrets cut out of its message, and no cause that could hold them.
   */
  static ApplicationFailure masked(ApplicationFailure f, List<String> secrets) {
    String message = f.getOriginalMessage();
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        message = message.replace(secret, "***");
      }
    }
    ApplicationFailure clean =
        f.isNonRetryable()
            ? ApplicationFailure.newNonRetryableFailure(message, f.getType())
            : ApplicationFailure.newFailure(message, f.getType());
    clean.setStackTrace(f.getStackTrace());
    return clean;
  }
}
