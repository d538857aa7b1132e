package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Host;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.testing.RealTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A switch with its replication back and verify, then the way back, on two real PostgreSQL servers
 * with an application writing all the time: nothing it was told is committed, on old before the
 * switch or on new after it, is missing on old at the end.
 */
@RealTools
class SwitchBackTest {
  static SwitchTestPair pair;
  static final List<String> figures = new ArrayList<>();

  @BeforeAll
  static void start() {
    pair = new SwitchTestPair();
  }

  @AfterAll
  static void stop() {
    // Figures for the report (not asserted): frozen times and the instant's own cost.
    System.out.println("pg-switch with reverse and verify, SwitchBackTest: " + figures);
    if (pair != null) {
      pair.close();
    }
  }

  static PgSwitchRequest request(String db) {
    return request(db, List.of());
  }

  static PgSwitchRequest request(String db, List<PgSwitchCommand> inside) {
    return new PgSwitchRequest(
        "switch-db",
        "old-db",
        pair.oldDb(db),
        "new-db",
        pair.newDb(db),
        SwitchTestPair.forward(db),
        SwitchTestPair.forward(db),
        Duration.ofSeconds(5),
        false,
        List.of(SwitchTestPair.APP),
        null,
        inside,
        true,
        true,
        "checksums",
        SwitchTestPair.back(db),
        SwitchTestPair.back(db));
  }

  @Test
  void switchingBackLosesNothingWrittenOnEitherSide() throws Exception {
    // given an app writing orders on old, replicated to new, and a file on the app's host the
    // switch's inside command points at new and its way back at old
    String db = pair.shop();
    AtomicReference<String> appConfig = new AtomicReference<>(pair.old.jdbcUrl(db));
    Path target = Files.createTempFile("switch-back-target", ".txt");
    Files.writeString(target, "old");
    PgSwitchRequest request =
        request(
            db,
            List.of(
                new PgSwitchCommand(
                    "old",
                    Host.local("the app's host"),
                    "printf new > '" + target + "'",
                    "printf old > '" + target + "'")));
    try (Writer app =
        new Writer(
                "app", appConfig::get, SwitchTestPair.APP, SwitchTestPair.APP_PW, "shop-app", true)
            .start()) {
      app.awaitMore(100);

      // when it switches with the replication back and the verify, the app goes on on new, and
      // then the way back runs while it still writes there
      PgSwitchResult switched;
      ReverseAndVerify instant = ReverseAndVerify.prepare(request, pair.sessions, p -> {});
      try (instant) {
        switched = new SwitchSection(pair.sessions, p -> {}).run(request, new NoHold(), instant);
      }
      String targetAfterSwitch = Files.readString(target);
      appConfig.set(pair.fresh.jdbcUrl(db));
      app.awaitMore(100);
      int ackedOnNew = app.acked().size();
      PgSwitchResult back =
          new SwitchBack(pair.sessions, p -> {})
              .run(new PgSwitchBackRequest(request, switched), new NoHold());
      String targetAfterBack = Files.readString(target);
      Files.delete(target);
      appConfig.set(pair.old.jdbcUrl(db));
      app.awaitMore(100);
      app.close();
      figures.add(
          "switch frozen "
              + switched.frozenMillis()
              + " ms (instant "
              + instant.instantMicros() / 1000.0
              + " ms), back frozen "
              + back.frozenMillis()
              + " ms");

      // then the switch verified against its snapshot and replicated back, every acknowledged row
      // is on old, and old hands out ids after new's
      assertThat(switched.afterRelease())
          .isEqualTo("verified 3 tables against the switch snapshot");
      assertThat(switched.reverseSubscription()).isEqualTo(SwitchTestPair.back(db));
      assertThat(app.acked().size()).isGreaterThan(ackedOnNew);
      assertThat(missingOnOld(db, app.acked())).isEmpty();
      assertThat(pair.old.query(db, "select count(*), count(distinct name) from items"))
          .containsExactly(
              List.of(
                  String.valueOf(100 + app.acked().size()),
                  String.valueOf(100 + app.acked().size())));
      assertThat(back.sequencesCopied()).isEqualTo(2);
      // the inside command pointed the app's file at new, its way back at old
      assertThat(targetAfterSwitch).isEqualTo("new");
      assertThat(targetAfterBack).isEqualTo("old");
      // the replication back is gone from both sides, old serves and new is frozen
      assertThat(
              pair.old.query(
                  db, "select count(*) from pg_subscription" + ReverseReplicationTest.HERE))
          .containsExactly(List.of("0"));
      assertThat(
              pair.fresh.query(
                  db,
                  "select count(*) from pg_replication_slots where database = current_database()"))
          .containsExactly(List.of("0"));
      assertThat(pair.fresh.query(db, "select count(*) from pg_publication"))
          .containsExactly(List.of("0"));
      try (PgSession o = pair.sessions.open("old-db", pair.oldDb(db));
          PgSession n = pair.sessions.open("new-db", pair.newDb(db))) {
        assertThat(SwitchFreeze.read(o)).isNull();
        assertThat(SwitchFreeze.read(n)).isNotNull();
      }
    }
  }

  @Test
  void aSwitchThatNeverPassedItsCommitPointIsUndoneByUnfreezingOld() {
    // given a switch whose worker died after the instant, before the commit point
    String db = pair.shop();
    PgSwitchRequest request = request(db);
    try (ReverseAndVerify instant = ReverseAndVerify.prepare(request, pair.sessions, p -> {})) {
      new SwitchSection(
              pair.sessions,
              p -> {},
              at -> {
                if (at.equals(SwitchSection.CAUGHT_UP)) {
                  throw new IllegalStateException("worker died");
                }
              })
          .run(request, new NoHold(), instant);
    } catch (IllegalStateException expected) {
      // the section backed out: old serves
    }

    // when the step is undone
    PgSwitchResult back =
        new SwitchBack(pair.sessions, p -> {})
            .run(new PgSwitchBackRequest(request, null), new NoHold());

    // then nothing was switched, old serves, and the replication back's parts are gone
    assertThat(back.afterRelease())
        .isEqualTo(
            "not switched (the subscription on new-db was still there): old-db serves;"
                + " the replication back was removed");
    assertThat(
            pair.old.query(
                db, "select count(*) from pg_subscription" + ReverseReplicationTest.HERE))
        .containsExactly(List.of("0"));
    assertThat(pair.fresh.query(db, "select count(*) from pg_publication"))
        .containsExactly(List.of("0"));
    try (PgSession o = pair.sessions.open("old-db", pair.oldDb(db))) {
      assertThat(SwitchFreeze.read(o)).isNull();
    }
  }

  /** The acknowledged rows old does not have. */
  static List<String> missingOnOld(String db, List<String> acked) {
    Set<String> onOld = new HashSet<>();
    for (List<String> row : pair.old.query(db, "select name from items")) {
      onOld.add(row.get(0));
    }
    return acked.stream().filter(a -> !onOld.contains(a)).toList();
  }
}
