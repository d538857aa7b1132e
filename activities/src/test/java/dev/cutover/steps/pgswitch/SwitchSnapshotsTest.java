package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.steps.postgres.PgTableComparison;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verify against snapshots taken at the switch instant, on two real PostgreSQL servers. */
@RealTools
class SwitchSnapshotsTest {
  static SwitchTestPair pair;

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

  SwitchSnapshots snapshots(String db, boolean checksums) {
    return new SwitchSnapshots(
        pair.sessions,
        "switch-db",
        "old-db",
        pair.oldDb(db),
        "new-db",
        pair.newDb(db),
        SwitchTestPair.forward(db),
        checksums,
        true);
  }

  @Test
  void sidesEqualAtTheInstantVerifyEveryReplicatedTable() {
    // given old replicated to new and caught up, snapshots taken at the instant
    String db = pair.shop();
    try (SwitchSnapshots snapshots = snapshots(db, true)) {
      snapshots.prepare();
      String id = snapshots.take();
      pair.dropForward(db);

      // when the verify runs after the release
      List<String> beats = new ArrayList<>();
      PgSwitchVerifyResult result = snapshots.verify(beats::add);

      // then every table was compared, by content, and all match
      assertThat(id).isNotBlank();
      assertThat(result.snapshot()).isEqualTo(id);
      assertThat(result.checksums()).isTrue();
      assertThat(result.tablesCompared()).isEqualTo(3);
      assertThat(result.matches()).isTrue();
      assertThat(result.differing()).isEmpty();
      assertThat(beats).contains("public.items (2 of 3)");
    }
  }

  @Test
  void writesOnNewAfterTheInstantAreNotAMismatch() {
    // given snapshots taken at the instant, and the forward replication ended there
    String db = pair.shop();
    try (SwitchSnapshots snapshots = snapshots(db, true)) {
      snapshots.prepare();
      snapshots.take();
      pair.dropForward(db);

      // when the released clients change, add and delete rows on new before the verify runs
      pair.fresh.sql(
          db,
          "update items set price = 0 where id = 7; insert into items(id, name) values (1000, 'after');"
              + " delete from other.o where id = 2; insert into logs(id, line) values (1000, 'switched')");

      // then the verify sees new as it was at the instant: equal to old
      PgSwitchVerifyResult result = snapshots.verify(p -> {});
      assertThat(result.matches()).isTrue();
      assertThat(result.tablesCompared()).isEqualTo(3);
    }
    assertThat(pair.fresh.query(db, "select count(*) from items")).containsExactly(List.of("101"));
  }

  @Test
  void aRowDifferentAtTheInstantIsAMismatchThatNamesTheTableAndTheWayBack() {
    // given a row changed on new behind the replication's back before the instant
    String db = pair.shop();
    pair.fresh.sql(db, "update items set name = 'changed on new' where id = 42");
    try (SwitchSnapshots snapshots = snapshots(db, true)) {
      snapshots.prepare();
      snapshots.take();
      pair.dropForward(db);

      // when the verify runs
      ApplicationFailure failure =
          catchThrowableOfType(ApplicationFailure.class, () -> snapshots.verify(p -> {}));

      // then the step fails for good, naming the table, the snapshot and the way back, with the
      // comparison as its details
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getType()).isEqualTo("SwitchVerifyMismatch");
      assertThat(failure.getOriginalMessage())
          .startsWith("step switch-db: 1 of 3 tables differed between old-db and new-db")
          .contains("public.items (100 rows each, contents differ)")
          .contains("snapshot " + snapshots.snapshot())
          .endsWith(
              "abort the migration to switch back: replication new-db -> old-db has every write"
                  + " since the switch");
      PgSwitchVerifyResult details = failure.getDetails().get(PgSwitchVerifyResult.class);
      assertThat(details.differingTotal()).isEqualTo(1);
      assertThat(details.differing())
          .extracting(PgTableComparison::table)
          .containsExactly("public.items");
    }
  }

  @Test
  void countsOnlyStillFindARowMissingOnNew() {
    // given a row deleted on new behind the replication's back, and a verify of counts only
    String db = pair.shop();
    pair.fresh.sql(db, "delete from other.o where id = 1");
    try (SwitchSnapshots snapshots = snapshots(db, false)) {
      snapshots.prepare();
      snapshots.take();
      pair.dropForward(db);

      // when the verify runs
      ApplicationFailure failure =
          catchThrowableOfType(ApplicationFailure.class, () -> snapshots.verify(p -> {}));

      // then the counts differ for that table only
      assertThat(failure.getOriginalMessage()).contains("other.o (2 rows vs 1)");
      PgSwitchVerifyResult details = failure.getDetails().get(PgSwitchVerifyResult.class);
      assertThat(details.checksums()).isFalse();
      assertThat(details.differing())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.sourceChecksum()).isNull();
                assertThat(c.targetRows()).isEqualTo(1);
              });
    }
  }

  @Test
  void aPublicationOfSomeTablesVerifiesOnlyThose() {
    // given a replication of items and a partitioned table only, and a log table that differs but
    // is not replicated
    String db = pair.shop();
    String events =
        "create table ev(id int primary key, at int) partition by range (id);"
            + " create table ev_low partition of ev for values from (0) to (100);"
            + " create table ev_high partition of ev for values from (100) to (200);"
            + " insert into ev select g, g from generate_series(1, 150) g";
    pair.old.sql(db, events);
    pair.fresh.sql(db, events);
    pair.old.sql(
        db,
        "create publication only_items for table items, ev;"
            + " insert into logs(line) values ('old only')");
    try (SwitchSnapshots snapshots =
        new SwitchSnapshots(
            pair.sessions,
            "switch-db",
            "old-db",
            pair.oldDb(db),
            "new-db",
            pair.newDb(db),
            "only_items",
            true,
            false)) {
      snapshots.prepare();
      snapshots.take();

      // when the verify runs
      PgSwitchVerifyResult result = snapshots.verify(p -> {});

      // then only items and the partitioned table as a whole were compared
      assertThat(result.tablesCompared()).isEqualTo(2);
      assertThat(result.matches()).isTrue();
    }
  }
}
