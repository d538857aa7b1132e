package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.testing.PgBouncerTestServer;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole switch through a real PgBouncer 1.18 (transaction pooling) in front of two real
 * PostgreSQL servers replicating logically, run as the worker runs it: {@link
 * PgSwitchActivitiesImpl} made with the worker's constructor, so the hold is the one it builds from
 * the request's bouncer (admin password resolved from its secret reference). Applications write
 * through the bouncer all the time and must never see an error: they are held, not refused.
 */
@RealTools
class PgSwitchThroughBouncerTest {
  static final String APP = "app";
  static final String APP_PW = "app-secret-pw";

  /** The [databases] entry the applications connect to. */
  static final String ENTRY = "shop";

  static final int WRITERS = 3;
  static SwitchTestPair pair;
  static PgTestCluster old;
  static PgTestCluster fresh;
  static final Map<String, String> env = new HashMap<>();
  static PgSessions sessions;

  PgBouncerTestServer bouncer;
  TestActivityEnvironment temporal;
  PgSwitchActivities activities;

  @BeforeAll
  static void start() {
    PgBouncerTestServer.requireInstalled();
    pair = new SwitchTestPair();
    old = pair.old;
    fresh = pair.fresh;
    env.put("OLD_PW", old.superuserPassword());
    env.put("NEW_PW", fresh.superuserPassword());
    sessions = pair.sessions;
  }

  @AfterAll
  static void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  @BeforeEach
  void worker() {
    temporal = TestActivityEnvironment.newInstance();
    temporal.registerActivitiesImplementations(
        new PgSwitchActivitiesImpl(sessions, new SecretResolver(env)));
    activities =
        temporal.newActivityStub(
            PgSwitchActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void close() {
    temporal.close();
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @Test
  void writersThroughPgBouncerAreHeldNotRefusedAndGoOnToNew() throws Exception {
    // given a shop on old replicated to new, PgBouncer sending the shop entry to old, and
    // applications writing orders through PgBouncer
    String db = pair.itemsShop();
    bouncer = startBouncer(db);
    List<Writer> writers = startWriters();
    try {
      for (Writer w : writers) {
        w.awaitMore(100);
      }

      // when the worker's activity switches with that bouncer as its holding point
      PgSwitchResult result = activities.switchOver(request(db, Duration.ofSeconds(5)));
      List<Integer> ackedAtSwitch = new ArrayList<>();
      for (Writer w : writers) {
        ackedAtSwitch.add(w.acked().size());
      }
      for (Writer w : writers) {
        w.awaitMore(100);
      }
      closeAll(writers);

      // then no writer saw an error, every acknowledged row is on new, and the rows written after
      // the switch went to new (old, frozen, has none of them)
      List<String> acked = new ArrayList<>();
      List<String> afterSwitch = new ArrayList<>();
      long longestGap = 0;
      for (int i = 0; i < writers.size(); i++) {
        Writer w = writers.get(i);
        assertThat(w.errors()).as("errors of %s: %s", i, w.lastError()).isZero();
        List<String> rows = w.acked();
        acked.addAll(rows);
        afterSwitch.addAll(rows.subList(ackedAtSwitch.get(i), rows.size()));
        longestGap = Math.max(longestGap, w.longestGapMillis());
      }
      assertThat(afterSwitch).hasSizeGreaterThanOrEqualTo(WRITERS * 100);
      assertThat(missingOn(fresh, db, acked)).isEmpty();
      assertThat(missingOn(old, db, afterSwitch)).containsExactlyElementsOf(afterSwitch);
      // PgBouncer was repointed (file and live entry) and says so in the result
      assertThat(Files.readString(bouncer.databasesFile()))
          .contains("port=" + fresh.port() + " dbname='" + db + "'");
      try (PgBouncerHold check = checkHold()) {
        assertThat(check.pointsAt(endpoint(fresh, db))).isTrue();
      }
      assertThat(result.holdDescription())
          .isEqualTo("pgbouncer on old:" + bouncer.port() + ", database " + ENTRY);
      assertThat(result.frozenMillis()).isPositive();
      assertThat(result.deadlinePassed()).isFalse();
      // Not asserted (speed belongs to bench/): what the section measured and what clients felt.
      System.out.println(
          "FIGURE pg-switch through pgbouncer: frozenMillis="
              + result.frozenMillis()
              + " writers' longest gap between acknowledged writes="
              + longestGap
              + " ms ("
              + WRITERS
              + " writers, "
              + acked.size()
              + " rows acknowledged, 0 errors)");
    } finally {
      closeAll(writers);
    }
  }

  @Test
  void aDeadlineTooShortResumesPgBouncerAtOldAndTheWritersGoOnThereWithoutAnError()
      throws Exception {
    // given new's apply worker stuck behind a lock with a backlog to apply, PgBouncer in front of
    // old, and applications writing through it
    String db = pair.itemsShop();
    bouncer = startBouncer(db);
    String entryBefore = Files.readString(bouncer.databasesFile());
    List<Writer> writers = startWriters();
    try (Connection lock = fresh.connect(db);
        Statement s = lock.createStatement()) {
      for (Writer w : writers) {
        w.awaitMore(50);
      }
      lock.setAutoCommit(false);
      s.execute("lock table items in access exclusive mode");
      old.sql(db, "insert into items(name) select 'backlog ' || g from generate_series(1, 50) g");

      // when the worker's activity switches with a deadline of 200 ms and onDeadline abort
      ActivityFailure failure =
          catchThrowableOfType(
              ActivityFailure.class,
              () -> activities.switchOver(request(db, Duration.ofMillis(200))));
      List<Integer> ackedAtAbort = new ArrayList<>();
      for (Writer w : writers) {
        ackedAtAbort.add(w.acked().size());
      }
      for (Writer w : writers) {
        w.awaitMore(50);
      }

      // then it failed as a passed deadline naming the bouncer, PgBouncer was resumed still
      // pointing at old, and the writers go on there without having seen an error
      ApplicationFailure cause = (ApplicationFailure) failure.getCause();
      assertThat(cause.getType()).isEqualTo(SwitchErrors.DEADLINE_PASSED);
      assertThat(cause.isNonRetryable()).isTrue();
      assertThat(cause.getOriginalMessage())
          .contains("within the deadline of 200 ms")
          .contains("pgbouncer on old:" + bouncer.port() + ", database " + ENTRY + " points at it");
      assertThat(Files.readString(bouncer.databasesFile())).isEqualTo(entryBefore);
      try (PgBouncerHold check = checkHold()) {
        assertThat(check.pointsAt(endpoint(old, db))).isTrue();
      }
      List<String> afterAbort = new ArrayList<>();
      for (int i = 0; i < writers.size(); i++) {
        Writer w = writers.get(i);
        assertThat(w.errors()).as("errors of %s: %s", i, w.lastError()).isZero();
        List<String> rows = w.acked();
        afterAbort.addAll(rows.subList(ackedAtAbort.get(i), rows.size()));
      }
      assertThat(afterAbort).hasSizeGreaterThanOrEqualTo(WRITERS * 50);
      assertThat(missingOn(old, db, afterAbort)).isEmpty();
      lock.rollback();
    } finally {
      closeAll(writers);
    }
    // and the replication goes on: every acknowledged row reaches new once the lock is gone
    List<String> acked = new ArrayList<>();
    writers.forEach(w -> acked.addAll(w.acked()));
    awaitEqualCounts(db);
    assertThat(missingOn(fresh, db, acked)).isEmpty();
  }

  @Test
  void aWorkerThatDiesHoldingPastTheCommitPointIsRolledForwardWithoutAnError() throws Exception {
    // given writers through PgBouncer, and a worker that died right after the commit point,
    // leaving PgBouncer paused (clients waiting) and old frozen
    String db = pair.itemsShop();
    bouncer = startBouncer(db);
    List<Writer> writers = startWriters();
    try {
      for (Writer w : writers) {
        w.awaitMore(50);
      }
      SwitchHold dying =
          PgSwitchActivitiesImpl.bouncerHold(bouncer(), new SecretResolver(env), sessions);
      SwitchSection dyingSection =
          new SwitchSection(
              sessions,
              p -> {},
              at -> {
                if (at.equals(SwitchSection.COMMITTED)) {
                  throw new SwitchSectionTest.WorkerDied(at);
                }
              });
      catchThrowableOfType(
          SwitchSectionTest.WorkerDied.class,
          () -> dyingSection.run(request(db, Duration.ofSeconds(5)), dying, SwitchInstant.none()));
      // (a dead worker resumes nothing: the dying hold is left as it is, never closed)

      // when the retry runs as the worker runs it
      PgSwitchResult retry = activities.switchOver(request(db, Duration.ofSeconds(5)));
      List<Integer> ackedAtRetry = new ArrayList<>();
      for (Writer w : writers) {
        ackedAtRetry.add(w.acked().size());
      }
      for (Writer w : writers) {
        w.awaitMore(50);
      }
      closeAll(writers);

      // then it finished the switch: the writers never saw an error, waited through both attempts,
      // and write on new now, with every acknowledged row there
      assertThat(retry.rolledForward()).isTrue();
      List<String> acked = new ArrayList<>();
      List<String> afterRetry = new ArrayList<>();
      for (int i = 0; i < writers.size(); i++) {
        Writer w = writers.get(i);
        assertThat(w.errors()).as("errors of %s: %s", i, w.lastError()).isZero();
        List<String> rows = w.acked();
        acked.addAll(rows);
        afterRetry.addAll(rows.subList(ackedAtRetry.get(i), rows.size()));
      }
      assertThat(missingOn(fresh, db, acked)).isEmpty();
      assertThat(missingOn(old, db, afterRetry)).containsExactlyElementsOf(afterRetry);
      try (PgBouncerHold check = checkHold()) {
        assertThat(check.pointsAt(endpoint(fresh, db))).isTrue();
      }
    } finally {
      closeAll(writers);
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** Sends {@link #ENTRY} to {@code db} on old; the applications log in as {@link #APP}. */
  static PgBouncerTestServer startBouncer(String db) {
    return PgBouncerTestServer.start(
        List.of(ENTRY + " = host=127.0.0.1 port=" + old.port() + " dbname=" + db + " pool_size=5"),
        Map.of(APP, APP_PW),
        List.of());
  }

  List<Writer> startWriters() {
    List<Writer> writers = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      writers.add(
          new Writer(
                  "w" + i,
                  // Through a transaction pooler: no server-side prepared statements.
                  () -> bouncer.jdbcUrl(ENTRY) + "?prepareThreshold=0",
                  APP,
                  APP_PW,
                  "shop-app",
                  true)
              .start());
    }
    return writers;
  }

  static void closeAll(List<Writer> writers) throws InterruptedException {
    for (Writer w : writers) {
      w.close();
    }
  }

  /** A hold of its own on the same bouncer, only to read where it points. */
  PgBouncerHold checkHold() {
    return (PgBouncerHold)
        PgSwitchActivitiesImpl.bouncerHold(bouncer(), new SecretResolver(env), sessions);
  }

  PgSwitchBouncer bouncer() {
    env.put("BOUNCER_ADMIN", bouncer.adminPassword());
    return new PgSwitchBouncer(
        "old",
        Host.local("the bouncer's host"),
        bouncer.port(),
        PgBouncerTestServer.ADMIN,
        "env:BOUNCER_ADMIN",
        ENTRY,
        bouncer.databasesFile().toString(),
        null);
  }

  static PgEndpoint endpoint(PgTestCluster c, String db) {
    return c.endpoint(db, "postgres", c == old ? "env:OLD_PW" : "env:NEW_PW", PgAccess.JDBC);
  }

  PgSwitchRequest request(String db, Duration deadline) {
    return new PgSwitchRequest(
        "switch-db",
        "old-db",
        endpoint(old, db),
        "new-db",
        endpoint(fresh, db),
        "cutover_" + db,
        "cutover_" + db,
        deadline,
        false,
        List.of(APP),
        bouncer(),
        List.of(),
        true,
        false,
        "none",
        null,
        null);
  }

  /** The rows of {@code rows} that {@code c} does not have. */
  static List<String> missingOn(PgTestCluster c, String db, List<String> rows) {
    Set<String> there = new HashSet<>();
    for (List<String> row : c.query(db, "select name from items")) {
      there.add(row.get(0));
    }
    return rows.stream().filter(a -> !there.contains(a)).toList();
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
