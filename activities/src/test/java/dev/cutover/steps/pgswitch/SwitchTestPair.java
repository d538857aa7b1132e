package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgCopier;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgLsn;
import dev.cutover.steps.postgres.PgReplication;
import dev.cutover.steps.postgres.PgReplicationSetupRequest;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.testing.PgTestCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Two real PostgreSQL servers, old and new, and a shop database on old replicated to new by
 * pg-replicate, as a switch finds them. Each {@link #shop} is a database of its own, so tests do
 * not see each other's rows.
 */
final class SwitchTestPair implements AutoCloseable {
  /** The application's role, on both servers, as the switch finds it. */
  static final String APP = "app";

  static final String APP_PW = "app-secret-pw";

  final PgTestCluster old;
  final PgTestCluster fresh;
  final PgSessions sessions;
  final PgReplication replication;
  private int databases;

  SwitchTestPair() {
    PgTestCluster.requireInstalled();
    old = PgTestCluster.start("old");
    fresh = PgTestCluster.start("new");
    for (PgTestCluster c : List.of(old, fresh)) {
      c.createRole(APP, APP_PW, null);
    }
    sessions =
        new PgSessions(
            new HostShells(new NoSshTransport(), Set.of()),
            new SecretResolver(
                Map.of("OLD_PW", old.superuserPassword(), "NEW_PW", fresh.superuserPassword())));
    replication = new PgReplication(sessions, new PgCopier(sessions));
  }

  /**
   * A new shop database on old, with 100 items, 2 rows in another schema and an empty log,
   * replicated to new (schema copied, rows copied) and caught up.
   */
  String shop() {
    String db = "shop" + (++databases);
    old.createDatabase(db);
    old.sql(
        db,
        "create table items(id serial primary key, name text not null, price numeric(8,2));"
            + "insert into items(name, price) select 'item ' || g, g * 1.5 from generate_series(1, 100) g;"
            + "create table logs(id bigserial primary key, line text);"
            + "create schema other; create table other.o(id int primary key); insert into other.o values (1), (2);"
            + "grant select, insert, update on items to app; grant usage on sequence items_id_seq to app");
    fresh.createDatabase(db);
    replication.setup(
        new PgReplicationSetupRequest(
            "replicate",
            oldDb(db),
            newDb(db),
            forward(db),
            forward(db),
            null,
            List.of(),
            true,
            true),
        p -> {});
    // Set once, as the switch does before its freeze: changing it restarts the apply worker.
    fresh.sql(db, "alter subscription " + forward(db) + " set (synchronous_commit = 'on')");
    await(
        "the apply worker of " + forward(db),
        () ->
            fresh
                .query(
                    db,
                    "select count(*) from pg_stat_subscription where relid is null and pid is not null"
                        + " and subname = '"
                        + forward(db)
                        + "'")
                .equals(List.of(List.of("1"))));
    awaitCaughtUp(db);
    return db;
  }

  /**
   * A new shop database on old with only 100 items the app may read and add to, replicated to new
   * (schema copied, rows copied), every table past its initial copy.
   */
  String itemsShop() {
    String db = "shop" + (++databases);
    old.createDatabase(db);
    old.sql(
        db,
        "create table items(id serial primary key, name text not null);"
            + "insert into items(name) select 'item ' || g from generate_series(1, 100) g;"
            + "grant select, insert on items to app; grant usage on sequence items_id_seq to app");
    fresh.createDatabase(db);
    replication.setup(
        new PgReplicationSetupRequest(
            "replicate-db",
            oldDb(db),
            newDb(db),
            forward(db),
            forward(db),
            null,
            List.of(),
            true,
            true),
        p -> {});
    await(
        "the initial copy of " + db,
        () ->
            fresh
                .query(db, "select count(*) from pg_subscription_rel where srsubstate <> 'r'")
                .equals(List.of(List.of("0"))));
    return db;
  }

  PgEndpoint oldDb(String db) {
    return old.endpoint(db, "postgres", "env:OLD_PW", PgAccess.JDBC);
  }

  PgEndpoint newDb(String db) {
    return fresh.endpoint(db, "postgres", "env:NEW_PW", PgAccess.JDBC);
  }

  /** The forward replication's names, pg-replicate's publication and subscription. */
  static String forward(String db) {
    return "cutover_" + db;
  }

  static String back(String db) {
    return forward(db) + "_rev";
  }

  /**
   * Until new has applied everything old has written and every table's initial copy is done, as the
   * switch's catch-up tells: the test servers commit asynchronously, so a logical message committed
   * synchronously flushes old's WAL first, and the subscription commits synchronously, so what
   * old's slot has confirmed is applied on new.
   */
  void awaitCaughtUp(String db) {
    String goal;
    try (Connection c = old.connect(db);
        Statement s = c.createStatement()) {
      s.execute("select pg_logical_emit_message(true, 'test', 'caught up?')");
      try (ResultSet rs = s.executeQuery("select pg_current_wal_flush_lsn()::text")) {
        rs.next();
        goal = rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    String target = goal;
    await(
        "new caught up with old at " + target,
        () ->
            PgLsn.reached(
                    old.query(
                            db,
                            "select coalesce(confirmed_flush_lsn::text, '0/0') from pg_replication_slots"
                                + " where slot_name = '"
                                + forward(db)
                                + "'")
                        .get(0)
                        .get(0),
                    target)
                && fresh
                    .query(db, "select count(*) from pg_subscription_rel where srsubstate <> 'r'")
                    .equals(List.of(List.of("0"))));
  }

  /** The forward replication's end, as the commit point does: subscription on new, slot on old. */
  void dropForward(String db) {
    fresh.sql(
        db,
        "alter subscription "
            + forward(db)
            + " disable; alter subscription "
            + forward(db)
            + " set (slot_name = none); drop subscription "
            + forward(db));
    old.sql(db, "select pg_drop_replication_slot('" + forward(db) + "')");
  }

  /** Until {@code done}, at most a minute; a failure shows the end of both servers' logs. */
  void await(String what, Supplier<Boolean> done) {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.get()) {
      assertThat(System.nanoTime())
          .as(
              () ->
                  "waiting for "
                      + what
                      + "\n--- old's log:\n"
                      + old.logTail()
                      + "\n--- new's log:\n"
                      + fresh.logTail())
          .isLessThan(until);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    fresh.close();
    old.close();
  }
}
