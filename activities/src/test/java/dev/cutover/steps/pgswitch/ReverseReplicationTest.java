package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.postgres.PgLsn;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.testing.RealTools;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replication back, started at the switch instant, on two real PostgreSQL servers. */
@RealTools
class ReverseReplicationTest {
  static SwitchTestPair pair;

  /** pg_subscription is shared by the server's databases: the test's own database only. */
  static final String HERE =
      " where subdbid = (select oid from pg_database where datname = current_database())";

  @BeforeAll
  static void start() {
    pair = new SwitchTestPair();
  }

  @AfterAll
  static void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  static ReverseReplication reverse(String db) {
    return new ReverseReplication(
        pair.sessions,
        "switch-db",
        pair.newDb(db),
        SwitchTestPair.forward(db),
        SwitchTestPair.forward(db),
        SwitchTestPair.back(db),
        SwitchTestPair.back(db));
  }

  @Test
  void writesOnNewFromTheInstantOnReachOldAndNothingBeforeComesBack() {
    // given old replicated to new, the replication back prepared before the freeze
    String db = pair.shop();
    ReverseReplication back = reverse(db);
    try (PgSession old = pair.sessions.open("old-db", pair.oldDb(db));
        PgSession fresh = pair.sessions.open("new-db", pair.newDb(db))) {
      back.prepare(old, fresh);
      // prepared: the publication on new, the subscription on old, not applying, and no slot yet
      assertThat(pair.fresh.query(db, "select pubname from pg_publication"))
          .containsExactly(List.of(SwitchTestPair.back(db)));
      assertThat(pair.old.query(db, "select subenabled, subslotname from pg_subscription" + HERE))
          .containsExactly(List.of("f", SwitchTestPair.back(db)));
      assertThat(
              pair.fresh.query(
                  db,
                  "select count(*) from pg_replication_slots where database = current_database()"))
          .containsExactly(List.of("0"));

      // when old takes one more order that new applies, the instant comes (old frozen, new caught
      // up), the forward replication ends, new takes an order before and one after the replication
      // back starts applying
      pair.old.sql(db, "insert into items(name) values ('last order on old')");
      pair.awaitCaughtUp(db);
      pair.await(
          "new has old's last order",
          () ->
              pair.fresh
                  .query(db, "select count(*) from items where name = 'last order on old'")
                  .equals(List.of(List.of("1"))));
      String lsn = back.atInstant(fresh);
      pair.dropForward(db);
      pair.fresh.sql(
          db,
          "select setval('items_id_seq', 101); insert into items(name) values ('first on new')");
      back.startApplying(old);
      pair.fresh.sql(
          db,
          "update items set price = 9.99 where id = 5; insert into items(name) values ('second on new')");

      // then old gets both orders and the change, once each, and what new applied from old before
      // the instant did not come back
      pair.await(
          "old has new's writes",
          () ->
              pair.old
                  .query(db, "select count(*) from items where name like '% on new'")
                  .equals(List.of(List.of("2"))));
      assertThat(PgLsn.parse(lsn)).isPositive();
      assertThat(pair.old.query(db, "select count(*), count(distinct id), max(id) from items"))
          .containsExactly(List.of("103", "103", "103"));
      assertThat(pair.old.query(db, "select price from items where id = 5"))
          .containsExactly(List.of("9.99"));
      assertThat(pair.old.query(db, "select count(*) from items where name = 'last order on old'"))
          .containsExactly(List.of("1"));
      assertThat(pair.old.logTail()).doesNotContain("duplicate key");
    }
  }

  @Test
  void aSecondPrepareAndInstantFindWhatTheFirstMade() {
    // given a replication back prepared, its slot made at the instant, and the forward one ended
    String db = pair.shop();
    ReverseReplication back = reverse(db);
    try (PgSession old = pair.sessions.open("old-db", pair.oldDb(db));
        PgSession fresh = pair.sessions.open("new-db", pair.newDb(db))) {
      back.prepare(old, fresh);
      String first = back.atInstant(fresh);
      pair.dropForward(db);

      // when a retry after the commit point prepares and runs the instant again
      back.prepare(old, fresh);
      String second = back.atInstant(fresh);
      back.startApplying(old);
      back.startApplying(old);

      // then it kept the instant's slot and made nothing twice
      assertThat(first).isNotNull();
      assertThat(second).isNull();
      assertThat(pair.fresh.query(db, "select count(*) from pg_publication"))
          .containsExactly(List.of("1"));
      assertThat(
              pair.fresh.query(
                  db,
                  "select slot_name from pg_replication_slots where database = current_database()"))
          .containsExactly(List.of(SwitchTestPair.back(db)));
      assertThat(
              pair.old.query(
                  db, "select count(*), bool_and(subenabled) from pg_subscription" + HERE))
          .containsExactly(List.of("1", "t"));
    }
  }

  @Test
  void theSlotOfAnAttemptThatDidNotSwitchIsDroppedAndNothingItSawComesBack() {
    // given an attempt that made the slot at its instant and then undid the freeze: the forward
    // replication goes on and new applies another order from old
    String db = pair.shop();
    ReverseReplication back = reverse(db);
    try (PgSession old = pair.sessions.open("old-db", pair.oldDb(db));
        PgSession fresh = pair.sessions.open("new-db", pair.newDb(db))) {
      back.prepare(old, fresh);
      String stale = back.atInstant(fresh);
      pair.old.sql(db, "insert into items(name) values ('after the undone attempt')");
      pair.awaitCaughtUp(db);
      pair.await(
          "new has old's order",
          () ->
              pair.fresh
                  .query(db, "select count(*) from items where name = 'after the undone attempt'")
                  .equals(List.of(List.of("1"))));

      // when the next attempt prepares, reaches its instant and switches
      back.prepare(old, fresh);
      assertThat(
              pair.fresh.query(
                  db,
                  "select count(*) from pg_replication_slots where database = current_database()"))
          .containsExactly(List.of("0"));
      String lsn = back.atInstant(fresh);
      pair.dropForward(db);
      back.startApplying(old);
      pair.fresh.sql(db, "insert into items(id, name) values (5000, 'on new')");

      // then the new slot starts after the old one, and old gets new's order without the one it
      // had written itself coming back
      pair.await(
          "old has new's order",
          () ->
              pair.old
                  .query(db, "select count(*) from items where id = 5000")
                  .equals(List.of(List.of("1"))));
      assertThat(PgLsn.parse(lsn)).isGreaterThan(PgLsn.parse(stale));
      assertThat(
              pair.old.query(
                  db, "select count(*) from items where name = 'after the undone attempt'"))
          .containsExactly(List.of("1"));
      assertThat(pair.old.logTail()).doesNotContain("duplicate key");
    }
  }

  @Test
  void theTeardownDropsWhatTheStepMadeOnce() {
    // given a replication back started at the instant
    String db = pair.shop();
    ReverseReplication back = reverse(db);
    try (PgSession old = pair.sessions.open("old-db", pair.oldDb(db));
        PgSession fresh = pair.sessions.open("new-db", pair.newDb(db))) {
      back.prepare(old, fresh);
      back.atInstant(fresh);
      pair.dropForward(db);
      back.startApplying(old);

      // when it is torn down, twice
      ReverseReplication.Teardown first = back.teardown(old, fresh);
      ReverseReplication.Teardown second = back.teardown(old, fresh);

      // then the first dropped all three parts and the second found nothing
      assertThat(first).isEqualTo(new ReverseReplication.Teardown(true, true, true));
      assertThat(second).isEqualTo(new ReverseReplication.Teardown(false, false, false));
      assertThat(pair.old.query(db, "select count(*) from pg_subscription" + HERE))
          .containsExactly(List.of("0"));
      assertThat(
              pair.fresh.query(
                  db,
                  "select count(*) from pg_replication_slots where database = current_database()"))
          .containsExactly(List.of("0"));
      assertThat(pair.fresh.query(db, "select count(*) from pg_publication"))
          .containsExactly(List.of("0"));
    }
  }
}
