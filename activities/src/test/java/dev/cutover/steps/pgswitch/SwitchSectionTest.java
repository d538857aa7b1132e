package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.plan.Host;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch's critical section against two real PostgreSQL servers replicating logically, with an
 * application writing all the time: nothing it was told is committed may be missing on the new
 * server, whatever ends the section.
 */
@RealTools
class SwitchSectionTest {
  static final String APP = "app";
  static final String APP_PW = "app-secret-pw";
  static SwitchTestPair pair;
  static PgTestCluster old;
  static PgTestCluster fresh;
  static final Map<String, String> env = new HashMap<>();
  static PgSessions sessions;
  static final List<Long> frozenFigures = new ArrayList<>();

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    pair = new SwitchTestPair();
    old = pair.old;
    fresh = pair.fresh;
    env.put("OLD_PW", old.superuserPassword());
    env.put("NEW_PW", fresh.superuserPassword());
    sessions = pair.sessions;
  }

  @AfterAll
  static void stop() {
    // The figure the report quotes: how long writes were frozen, as the section measured it.
    System.out.println("pg-switch frozenMillis in SwitchSectionTest: " + frozenFigures);
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void everyAcknowledgedRowIsOnNewAndTheAppWritesThereAfterTheSwitch() throws Exception {
    // given a shop on old replicated to new, an app writing orders, and an inside command that
    // repoints the app's configuration
    String db = pair.itemsShop();
    Path appConfig = appConfig(db, old);
    PgSwitchRequest request =
        request(db, Duration.ofSeconds(5), false, List.of(APP), repoint(appConfig, db));
    try (Writer app = appWriter(db, appConfig)) {
      app.awaitMore(200);

      // when the section runs
      PgSwitchResult result = section().run(request, new NoHold(), SwitchInstant.none());
      frozenFigures.add(result.frozenMillis());
      app.awaitMore(200);
      app.close();

      // then every row the app was told is committed is on new, and the app writes there now
      assertThat(missingOnNew(db, app.acked())).isEmpty();
      assertThat(app.targets()).containsExactly(old.jdbcUrl(db), fresh.jdbcUrl(db));
      assertThat(result.frozenMillis()).isPositive();
      assertThat(result.caughtUpLsn()).matches("[0-9A-F]+/[0-9A-F]+");
      assertThat(result.sessionsCut()).anySatisfy(s -> assertThat(s).startsWith("app@"));
      assertThat(result.rolledForward()).isFalse();
      assertThat(result.deadlinePassed()).isFalse();
      // the subscription, its slot and the publication are gone
      assertThat(
              fresh.query(
                  db,
                  "select count(*) from pg_subscription where subdbid = (select oid from pg_database where datname = current_database())"))
          .containsExactly(List.of("0"));
      assertThat(
              old.query(
                  db,
                  "select count(*) from pg_replication_slots where database = current_database()"))
          .containsExactly(List.of("0"));
      assertThat(old.query(db, "select count(*) from pg_publication"))
          .containsExactly(List.of("0"));
      // sequences were carried: the ids new handed out follow old's
      assertThat(result.sequencesCopied()).isEqualTo(1);
      long oldMax = Long.parseLong(old.query(db, "select max(id) from items").get(0).get(0));
      assertThat(fresh.query(db, "select count(*) from items where id <= " + oldMax))
          .isEqualTo(old.query(db, "select count(*) from items"));
      // old stays frozen: an app still pointing there is refused rather than writing where nobody
      // reads
      SQLException refused =
          catchThrowableOfType(SQLException.class, () -> appConnect(old, db).close());
      assertThat(refused.getMessage()).contains("permission denied for database");
    }
  }

  @Test
  void aTargetThatDoesNotCatchUpInTimeAbortsAndOldTakesWritesAgain() throws Exception {
    // given new's apply worker stuck behind a lock, and rows written on old it must apply
    String db = pair.itemsShop();
    try (Connection lock = fresh.connect(db);
        Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      s.execute("lock table items in access exclusive mode");
      old.sql(db, "insert into items(name) select 'backlog ' || g from generate_series(1, 50) g");

      // when the section runs with a short deadline and onDeadline abort
      ApplicationFailure failure =
          catchThrowableOfType(
              ApplicationFailure.class,
              () ->
                  section()
                      .run(
                          request(db, Duration.ofMillis(200), false, List.of(), List.of()),
                          new NoHold(),
                          SwitchInstant.none()));

      // then it failed naming the deadline and the lag, and old takes writes again
      assertThat(failure.getType()).isEqualTo(SwitchErrors.DEADLINE_PASSED);
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage())
          .contains("within the deadline of 200 ms")
          .contains("behind")
          .contains("was unfrozen and takes writes again");
      try (Connection app = appConnect(old, db);
          Statement w = app.createStatement()) {
        assertThat(w.executeUpdate("insert into items(name) values ('after the abort')"))
            .isEqualTo(1);
      }
      try (PgSession o = sessions.open("old-db", endpoint(old, db))) {
        assertThat(SwitchFreeze.read(o)).isNull();
      }
      assertThat(
              fresh.query(
                  db,
                  "select count(*) from pg_subscription where subdbid = (select oid from pg_database where datname = current_database())"))
          .containsExactly(List.of("1"));
      lock.rollback();
    }
    // and the replication goes on: new gets every row once the lock is gone
    awaitEqualCounts(db);
  }

  @Test
  void onDeadlineGoWaitsPastTheDeadlineAndSwitches() throws Exception {
    // given new's apply worker stuck behind a lock for 600 ms, with rows to apply
    String db = pair.itemsShop();
    Connection lock = fresh.connect(db);
    lock.setAutoCommit(false);
    lock.createStatement().execute("lock table items in access exclusive mode");
    old.sql(db, "insert into items(name) select 'backlog ' || g from generate_series(1, 50) g");
    Thread unlock =
        new Thread(
            () -> {
              try {
                Thread.sleep(600);
                lock.rollback();
                lock.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    unlock.start();

    // when the section runs with a deadline of 100 ms and onDeadline go
    PgSwitchResult result =
        section()
            .run(
                request(db, Duration.ofMillis(100), true, List.of(), List.of()),
                new NoHold(),
                SwitchInstant.none());
    unlock.join();

    // then it switched anyway, saying the deadline passed, with every row on new
    assertThat(result.deadlinePassed()).isTrue();
    assertThat(result.frozenMillis()).isGreaterThanOrEqualTo(100);
    assertThat(fresh.query(db, "select count(*) from items"))
        .isEqualTo(old.query(db, "select count(*) from items"));
    assertThat(
            fresh.query(
                db,
                "select count(*) from pg_subscription where subdbid = (select oid from pg_database where datname = current_database())"))
        .containsExactly(List.of("0"));
  }

  @Test
  void aSessionWritingThroughAnotherPathIsCutNamedAndLosesNothing() throws Exception {
    // given the app writing through its configuration, and a session of its role opened on old
    // by hand, writing too
    String db = pair.itemsShop();
    Path appConfig = appConfig(db, old);
    try (Writer app = appWriter(db, appConfig);
        Writer byHand =
            new Writer("by-hand", () -> old.jdbcUrl(db), APP, APP_PW, "by-hand", false).start()) {
      app.awaitMore(100);
      byHand.awaitMore(100);

      // when the section runs
      PgSwitchResult result =
          section()
              .run(
                  request(db, Duration.ofSeconds(5), false, List.of(APP), repoint(appConfig, db)),
                  new NoHold(),
                  SwitchInstant.none());
      frozenFigures.add(result.frozenMillis());
      app.awaitMore(50);
      byHand.close();
      app.close();

      // then the session by hand was cut, is named, and none of its acknowledged rows is lost
      assertThat(result.sessionsCut()).contains("app@127.0.0.1 (by-hand)");
      assertThat(byHand.acked()).isNotEmpty();
      assertThat(missingOnNew(db, byHand.acked())).isEmpty();
      assertThat(missingOnNew(db, app.acked())).isEmpty();
      assertThat(byHand.targets()).containsExactly(old.jdbcUrl(db));
    }
  }

  @Test
  void aWorkerThatDiesBeforeTheCommitPointLeavesOldFrozenAndTheRetrySwitches() throws Exception {
    // given the app writing, and a section whose worker dies once new has caught up
    String db = pair.itemsShop();
    Path appConfig = appConfig(db, old);
    PgSwitchRequest request =
        request(db, Duration.ofSeconds(5), false, List.of(APP), repoint(appConfig, db));
    try (Writer app = appWriter(db, appConfig)) {
      app.awaitMore(100);
      catchThrowableOfType(
          WorkerDied.class,
          () -> dyingAt(SwitchSection.CAUGHT_UP).run(request, new NoHold(), SwitchInstant.none()));
      // (old frozen, the subscription still on new: nothing switched)
      assertThat(
              fresh.query(
                  db,
                  "select count(*) from pg_subscription where subdbid = (select oid from pg_database where datname = current_database())"))
          .containsExactly(List.of("1"));

      // when the retry runs
      PgSwitchResult retry = section().run(request, new NoHold(), SwitchInstant.none());
      app.awaitMore(100);
      app.close();

      // then it switched all the way, losing nothing
      assertThat(retry.rolledForward()).isFalse();
      assertThat(missingOnNew(db, app.acked())).isEmpty();
      assertThat(app.targets()).last().isEqualTo(fresh.jdbcUrl(db));
      assertThat(
              fresh.query(
                  db,
                  "select count(*) from pg_subscription where subdbid = (select oid from pg_database where datname = current_database())"))
          .containsExactly(List.of("0"));
    }
  }

  @Test
  void aWorkerThatDiesAfterTheCommitPointIsRolledForwardByTheRetry() throws Exception {
    // given the app writing, and a section whose worker dies right after dropping the subscription
    String db = pair.itemsShop();
    Path appConfig = appConfig(db, old);
    PgSwitchRequest request =
        request(db, Duration.ofSeconds(5), false, List.of(APP), repoint(appConfig, db));
    try (Writer app = appWriter(db, appConfig)) {
      app.awaitMore(100);
      catchThrowableOfType(
          WorkerDied.class,
          () -> dyingAt(SwitchSection.COMMITTED).run(request, new NoHold(), SwitchInstant.none()));
      int ackedAtDeath = app.acked().size();

      // when the retry runs
      PgSwitchResult retry = section().run(request, new NoHold(), SwitchInstant.none());
      app.awaitMore(100);
      app.close();

      // then it finished that switch: repointed, sequences copied, nothing lost, old's slot gone
      assertThat(retry.rolledForward()).isTrue();
      assertThat(retry.frozenMillis()).isPositive();
      assertThat(app.acked().size()).isGreaterThan(ackedAtDeath);
      assertThat(missingOnNew(db, app.acked())).isEmpty();
      assertThat(app.targets()).containsExactly(old.jdbcUrl(db), fresh.jdbcUrl(db));
      assertThat(
              old.query(
                  db,
                  "select count(*) from pg_replication_slots where database = current_database()"))
          .containsExactly(List.of("0"));
    }
  }

  @Test
  void aSwitchWithoutAReplicationIsRefusedBeforeAnythingIsFrozen() {
    // given a database on old that no pg-replicate step set up
    String db = "unreplicated";
    old.createDatabase(db);
    fresh.createDatabase(db);

    // when the section runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                section()
                    .run(
                        request(db, Duration.ofSeconds(5), false, List.of(), List.of()),
                        new NoHold(),
                        SwitchInstant.none()));

    // then it says what is missing, and old is not frozen
    assertThat(failure.getType()).isEqualTo("StateConflict");
    assertThat(failure.getOriginalMessage())
        .startsWith("step switch-db: there is no subscription cutover_" + db)
        .contains("a pg-replicate step (action start) from old-db to new-db must run before");
    assertThat(
            old.query(
                db,
                "select count(*) from pg_db_role_setting where setdatabase = (select oid from pg_database where datname = current_database())"))
        .containsExactly(List.of("0"));
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** A worker killed at a seam: an Error, so no cleanup of the section's own runs. */
  static final class WorkerDied extends Error {
    WorkerDied(String point) {
      super("worker died after " + point);
    }
  }

  static SwitchSection section() {
    return new SwitchSection(sessions, p -> {});
  }

  static SwitchSection dyingAt(String point) {
    return new SwitchSection(
        sessions,
        p -> {},
        at -> {
          if (at.equals(point)) {
            throw new WorkerDied(at);
          }
        });
  }

  static PgEndpoint endpoint(PgTestCluster c, String db) {
    return c.endpoint(db, "postgres", c == old ? "env:OLD_PW" : "env:NEW_PW", PgAccess.JDBC);
  }

  static PgSwitchRequest request(
      String db,
      Duration deadline,
      boolean go,
      List<String> appRoles,
      List<PgSwitchCommand> inside) {
    return new PgSwitchRequest(
        "switch-db",
        "old-db",
        endpoint(old, db),
        "new-db",
        endpoint(fresh, db),
        "cutover_" + db,
        "cutover_" + db,
        deadline,
        go,
        appRoles,
        null,
        inside,
        true,
        false,
        "none",
        null,
        null);
  }

  /** The app's configuration: the URL it connects to. */
  Path appConfig(String db, PgTestCluster c) throws Exception {
    Path file = dir.resolve("app-" + db + ".url");
    Files.writeString(file, c.jdbcUrl(db));
    return file;
  }

  /**
   * The inside command that points the app at new, run on the (local) old host; its way back points
   * it at old.
   */
  static List<PgSwitchCommand> repoint(Path appConfig, String db) {
    return List.of(
        new PgSwitchCommand(
            "old",
            Host.local("the app's host"),
            "printf '%s' '" + fresh.jdbcUrl(db) + "' > '" + appConfig + "'",
            "printf '%s' '" + old.jdbcUrl(db) + "' > '" + appConfig + "'"));
  }

  static Writer appWriter(String db, Path appConfig) {
    return new Writer(
            "app",
            () -> {
              try {
                return Files.readString(appConfig).trim();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            APP,
            APP_PW,
            "shop-app",
            true)
        .start();
  }

  static Connection appConnect(PgTestCluster c, String db) throws SQLException {
    return c.connect(db, APP, APP_PW, "check");
  }

  /** The acknowledged rows new does not have. */
  static List<String> missingOnNew(String db, List<String> acked) {
    Set<String> onNew = new HashSet<>();
    for (List<String> row : fresh.query(db, "select name from items")) {
      onNew.add(row.get(0));
    }
    return acked.stream().filter(a -> !onNew.contains(a)).toList();
  }

  static void awaitEqualCounts(String db) throws InterruptedException {
    long until = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < until
        && !fresh
            .query(db, "select count(*) from items")
            .equals(old.query(db, "select count(*) from items"))) {
      Thread.sleep(50);
    }
    assertThat(fresh.query(db, "select count(*) from items"))
        .isEqualTo(old.query(db, "select count(*) from items"));
  }
}
