package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.Pause;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgQuote;
import dev.cutover.steps.postgres.PgRows;
import dev.cutover.steps.postgres.PgSession;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Freezes writes on a database: nobody but superusers and cutover's own role may connect any more
 * (CONNECT revoked from PUBLIC and every role that held it), and the application's sessions are
 * cut. The freeze is durable and marks itself on the database (two settings under {@code cutover.},
 * in the same transaction as the REVOKE), so a retry after the worker died knows the database is
 * frozen and to whom CONNECT goes back. A database stays frozen after a switch away from it, so an
 * application that still points at it is refused rather than writing where nobody reads; the switch
 * back unfreezes it.
 */
public final class SwitchFreeze {
  /** When the freeze began (the worker's clock, milliseconds since the epoch). */
  static final String FROZEN_AT = "cutover.switch_frozen_at";

  /** The roles CONNECT was revoked from, as a text array ({@code {public,app}}). */
  static final String REVOKED = "cutover.switch_revoked";

  /** How often the cut sessions are looked for until they have exited. */
  static final Duration EXIT_POLL = Duration.ofMillis(2);

  private SwitchFreeze() {}

  /**
   * A freeze found on a database.
   *
   * @param frozenAtMillis when it began, by the worker's clock
   * @param revokedFrom the roles CONNECT goes back to ({@code public} for PUBLIC)
   */
  public record Frozen(long frozenAtMillis, List<String> revokedFrom) {}

  /** The freeze on the session's database; {@code null} when it is not frozen. */
  public static Frozen read(PgSession db) {
    PgRows rows =
        db.query(
            "select split_part(c, '=', 1) as name, substr(c, strpos(c, '=') + 1) as value"
                + " from pg_db_role_setting s, unnest(s.setconfig) c"
                + " where s.setrole = 0 and s.setdatabase = (select oid from pg_database where datname = current_database())"
                + " and split_part(c, '=', 1) in ("
                + PgQuote.literal(FROZEN_AT)
                + ", "
                + PgQuote.literal(REVOKED)
                + ")");
    String at = null;
    String revoked = null;
    for (int i = 0; i < rows.rows().size(); i++) {
      if (FROZEN_AT.equals(rows.get(i, "name"))) {
        at = rows.get(i, "value");
      } else {
        revoked = rows.get(i, "value");
      }
    }
    if (at == null) {
      return null;
    }
    List<String> roles =
        revoked == null || revoked.equals("{}")
            ? List.of()
            : db.query("select unnest(" + PgQuote.literal(revoked) + "::text[]) as r").column("r");
    return new Frozen(Long.parseLong(at.trim()), roles);
  }

  /**
   * Before the freeze: whether this session may freeze its database (superuser, or the database's
   * owner allowed to end other sessions), and the roles that can connect now and will not once it
   * is frozen. Refuses non-retryably when it may not.
   */
  public static List<String> prepare(String step, PgSession db) {
    PgRows me =
        db.query(
            "select r.rolsuper as super, d.datdba = r.oid as owner,"
                + " pg_has_role(r.oid, 'pg_signal_backend', 'member') as signal"
                + " from pg_roles r, pg_database d"
                + " where r.rolname = current_user and d.datname = current_database()");
    boolean superuser = "t".equals(me.get(0, "super"));
    boolean owner = "t".equals(me.get(0, "owner"));
    boolean signal = "t".equals(me.get(0, "signal"));
    if (!superuser && !(owner && signal)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step "
              + step
              + ": "
              + db.describe()
              + ": user "
              + db.endpoint().user()
              + " cannot freeze writes there: it must be a superuser, or own the database and be a member of pg_signal_backend (to revoke CONNECT and end the application's sessions)",
          CutoverErrors.DB_PREREQUISITE);
    }
    // Synchronous commit for this session: the freeze and the flush before the catch-up position
    // must be on disk before anything relies on them.
    db.execute("set synchronous_commit = on");
    return db.query(
            "select case when a.grantee = 0 then 'public' else a.grantee::regrole::text end as role"
                + " from pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a"
                + " where d.datname = current_database() and a.privilege_type = 'CONNECT'"
                + " and a.grantee <> (select oid from pg_roles where rolname = current_user)"
                + " order by 1")
        .column("role");
  }

  /**
   * Revokes CONNECT from {@code roles} and marks the database frozen, in one transaction: one round
   * trip.
   *
   * @param roles what {@link #prepare} returned
   */
  public static void freeze(PgSession db, List<String> roles, long nowMillis) {
    String database = PgQuote.ident(db.endpoint().database());
    StringBuilder sql = new StringBuilder("BEGIN;\n");
    sql.append("ALTER DATABASE ")
        .append(database)
        .append(" SET ")
        .append(FROZEN_AT)
        .append(" = ")
        .append(PgQuote.literal(String.valueOf(nowMillis)))
        .append(";\n");
    sql.append("ALTER DATABASE ")
        .append(database)
        .append(" SET ")
        .append(REVOKED)
        .append(" = ")
        .append(PgQuote.literal(arrayLiteral(roles)))
        .append(";\n");
    if (!roles.isEmpty()) {
      sql.append("REVOKE CONNECT ON DATABASE ")
          .append(database)
          .append(" FROM ")
          .append(String.join(", ", roles))
          .append(";\n");
    }
    sql.append("COMMIT;");
    inTransaction(db, sql.toString());
  }

  /**
   * Gives CONNECT back to the roles the freeze took it from and removes the mark, in one
   * transaction. False when the database was not frozen.
   */
  public static boolean unfreeze(PgSession db) {
    Frozen frozen = read(db);
    if (frozen == null) {
      return false;
    }
    String database = PgQuote.ident(db.endpoint().database());
    StringBuilder sql = new StringBuilder("BEGIN;\n");
    if (!frozen.revokedFrom().isEmpty()) {
      sql.append("GRANT CONNECT ON DATABASE ")
          .append(database)
          .append(" TO ")
          .append(String.join(", ", frozen.revokedFrom()))
          .append(";\n");
    }
    sql.append("ALTER DATABASE ")
        .append(database)
        .append(" RESET ")
        .append(FROZEN_AT)
        .append(";\n");
    sql.append("ALTER DATABASE ").append(database).append(" RESET ").append(REVOKED).append(";\n");
    sql.append("COMMIT;");
    inTransaction(db, sql.toString());
    return true;
  }

  /**
   * Ends the sessions that could still write: those of {@code appRoles}, or with none given every
   * non-superuser session; never cutover's own. Waits until each has exited (at most {@code
   * waitMillis} in all), so nothing it commits can come after the position read next. Returns them
   * as {@code role@address (application)}.
   */
  public static List<String> cutSessions(PgSession db, List<String> appRoles, long waitMillis) {
    String who =
        appRoles.isEmpty()
            ? "not coalesce((select rolsuper from pg_roles r where r.oid = a.usesysid), false)"
            : "a.usename in ("
                + String.join(", ", appRoles.stream().map(PgQuote::literal).toList())
                + ")";
    // Signalled all at once, then watched: pg_terminate_backend's own wait polls every 100 ms.
    PgRows cut =
        db.query(
            "select a.pid, a.usename || '@' || coalesce(host(a.client_addr), 'local')"
                + " || case when a.application_name <> '' then ' (' || a.application_name || ')' else '' end as session,"
                + " pg_terminate_backend(a.pid) as signalled"
                + " from pg_stat_activity a"
                + " where a.datname = current_database() and a.backend_type = 'client backend'"
                + " and a.pid <> pg_backend_pid()"
                + " and not (a.usename = current_user and a.application_name = 'cutover')"
                + " and "
                + who
                + " order by a.backend_start");
    List<String> out = new ArrayList<>();
    if (cut.isEmpty()) {
      return out;
    }
    String pids = String.join(", ", cut.column("pid"));
    String alive =
        "select count(*) from pg_stat_get_activity(null) where pid in ("
            + pids
            + ") and pid is not null";
    long until = System.nanoTime() + Math.max(1, waitMillis) * 1_000_000;
    long left = db.query(alive).singleLong();
    while (left > 0 && System.nanoTime() < until) {
      Pause.sleep(EXIT_POLL, "waiting for the application's sessions to end");
      left = db.query(alive).singleLong();
    }
    List<String> stillThere =
        left == 0
            ? List.of()
            : db.query(
                    "select pid::text from pg_stat_get_activity(null) where pid in (" + pids + ")")
                .column("pid");
    for (int i = 0; i < cut.rows().size(); i++) {
      out.add(
          cut.get(i, "session")
              + (stillThere.contains(cut.get(i, "pid")) ? " (still exiting)" : ""));
    }
    return out;
  }

  static String arrayLiteral(List<String> roles) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < roles.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"').append(roles.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return out.append('}').toString();
  }

  private static void inTransaction(PgSession db, String statements) {
    try {
      db.execute(statements);
    } catch (ApplicationFailure f) {
      try {
        db.execute("ROLLBACK");
      } catch (ApplicationFailure ignored) {
        // the session is gone: so is its transaction
      }
      throw f;
    }
  }
}
