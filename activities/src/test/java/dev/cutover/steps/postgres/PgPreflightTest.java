package dev.cutover.steps.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.preflight.PreflightActivities;
import dev.cutover.preflight.PreflightActivitiesImpl;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.preflight.PreflightDatabase;
import dev.cutover.preflight.PreflightDbCopy;
import dev.cutover.preflight.PreflightRequest;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preflight of databases and dump/restore copies against real servers. */
@RealTools
class PgPreflightTest {
  static PgTestCluster old;
  static PgTestCluster fresh;
  static PgTestCluster replicaOnly;
  static final Map<String, String> env = new HashMap<>();
  static PgSessions sessions;

  @BeforeAll
  static void start() {
    PgTestCluster.requireInstalled();
    old = PgTestCluster.start("old");
    fresh = PgTestCluster.start("new");
    replicaOnly = PgTestCluster.start("replica-only", List.of("wal_level=replica"));
    env.put("OLD_PW", old.superuserPassword());
    env.put("NEW_PW", fresh.superuserPassword());
    env.put("REPLICA_PW", replicaOnly.superuserPassword());
    env.put("WRONG_PW", "wrong-Secret-77");
    env.put("PLAIN_PW", "plain-Secret-5");
    sessions =
        new PgSessions(new HostShells(new NoSshTransport(), Set.of()), new SecretResolver(env));
    old.createDatabase("shop");
    old.sql("shop", "create table items(id serial primary key, name text)");
    old.createRole("plain", "plain-Secret-5", null);
    fresh.createDatabase("shop");
    fresh.createRole("plain", "plain-Secret-5", null);
    replicaOnly.createDatabase("shop");
  }

  @AfterAll
  static void stop() {
    for (PgTestCluster c : new PgTestCluster[] {old, fresh, replicaOnly}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void readyDatabasesAndToolsPassEveryCheck() {
    // given old publishing to new, and a copy from old to new with the tools on the worker
    PgEndpoint source = old.endpoint("shop", "postgres", "env:OLD_PW", PgAccess.JDBC);
    PgEndpoint target = fresh.endpoint("shop", "postgres", "env:NEW_PW", PgAccess.JDBC);

    // when preflight runs
    List<PreflightCheck> checks =
        run(
            sessions,
            List.of(
                new PreflightDatabase("old-db", source, true, false, List.of()),
                new PreflightDatabase("new-db", target, false, true, List.of())),
            List.of(
                new PreflightDbCopy("copy-db", "old-db", source, "new-db", target, null, null)));

    // then every line passed and says what was found
    assertThat(checks).allSatisfy(c -> assertThat(c.ok()).as(c.line()).isTrue());
    assertThat(checks)
        .extracting(PreflightCheck::check)
        .containsExactly(
            "database old-db",
            "publish from old-db",
            "database new-db",
            "subscribe on new-db",
            "versions for copy-db",
            "pg_dump and pg_restore for copy-db",
            "reach old-db from worker");
    assertThat(checks.get(0).detail()).startsWith("PostgreSQL 1").endsWith("shop as postgres");
  }

  @Test
  void everyProblemIsALineThatSaysWhatToDo(@TempDir Path dir) throws IOException {
    // given a wrong password, a missing database, a source with wal_level=replica, a table without
    // a key,
    // roles that may neither replicate nor subscribe, and a tools machine with an old pg_dump and
    // no pg_restore
    old.sql("shop", "create table if not exists audit(line text)");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("pg_dump"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
    bin.resolve("pg_dump").toFile().setExecutable(true);
    PgSessions oldTools =
        new PgSessions(new PathLimitedShells(bin + ":/nonexistent"), new SecretResolver(env));
    PgEndpoint source = old.endpoint("shop", "postgres", "env:OLD_PW", PgAccess.JDBC);
    PgEndpoint target = fresh.endpoint("shop", "postgres", "env:NEW_PW", PgAccess.JDBC);
    List<PreflightDatabase> databases =
        List.of(
            new PreflightDatabase(
                "bad-pw",
                old.endpoint("shop", "postgres", "env:WRONG_PW", PgAccess.JDBC),
                false,
                false,
                List.of()),
            new PreflightDatabase(
                "gone",
                fresh.endpoint("nosuchdb", "postgres", "env:NEW_PW", PgAccess.JDBC),
                false,
                false,
                List.of()),
            new PreflightDatabase(
                "replica",
                replicaOnly.endpoint("shop", "postgres", "env:REPLICA_PW", PgAccess.JDBC),
                true,
                false,
                List.of()),
            new PreflightDatabase("old-db", source, true, false, List.of()),
            new PreflightDatabase(
                "old-plain",
                old.endpoint("shop", "plain", "env:PLAIN_PW", PgAccess.JDBC),
                true,
                false,
                List.of("public.items")),
            new PreflightDatabase(
                "new-plain",
                fresh.endpoint("shop", "plain", "env:PLAIN_PW", PgAccess.JDBC),
                false,
                true,
                List.of()),
            new PreflightDatabase("new-db", target, false, false, List.of()));

    // when preflight runs
    List<PreflightCheck> checks =
        run(
            oldTools,
            databases,
            List.of(
                new PreflightDbCopy("copy-db", "old-db", source, "new-db", target, null, null)));

    // then each problem is a failed line naming the database or host, with what to do and, for a
    // failure, its type
    List<String> failed = checks.stream().filter(c -> !c.ok()).map(PreflightCheck::line).toList();
    assertThat(failed)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "FAILED  old: database bad-pw — [DatabaseAuthenticationFailed] database bad-pw (shop on old:")
                    .contains("check the role postgres, its password secret (env:WRONG_PW)")
                    .doesNotContain("wrong-Secret-77"));
    assertThat(failed)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("FAILED  new: database gone — [DatabaseMissing] ")
                    .contains("createdb nosuchdb"));
    assertThat(failed)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("FAILED  replica-only: publish from replica")
                    .contains("wal_level = replica")
                    .contains("ALTER SYSTEM SET wal_level = logical"));
    assertThat(failed)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("FAILED  old: publish from old-db — table public.audit")
                    .contains("REPLICA IDENTITY FULL"));
    assertThat(failed)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("FAILED  old: publish from old-plain — role plain")
                    .contains("ALTER ROLE \"plain\" REPLICATION"));
    assertThat(failed)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "FAILED  old: publish from old-plain — role plain does not own table public.items"));
    assertThat(failed)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "FAILED  new: subscribe on new-plain — role plain may not create subscriptions"));
    assertThat(failed)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "FAILED  worker: pg_dump and pg_restore for copy-db — pg_restore is not installed on host worker"));
    assertThat(failed)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "FAILED  worker: pg_dump and pg_restore for copy-db — pg_dump 9.6.24 on host worker is older"));
    assertThat(checks)
        .filteredOn(c -> c.check().equals("database new-db"))
        .singleElement()
        .satisfies(c -> assertThat(c.ok()).isTrue());
    old.sql("shop", "drop table audit");
  }

  @Test
  void preflightActivityListsTheDatabaseProblemsAndStops() {
    // given the preflight activity in Temporal's test environment and a plan whose source has
    // wal_level=replica
    TestActivityEnvironment testEnv = TestActivityEnvironment.newInstance();
    try {
      testEnv.registerActivitiesImplementations(
          new PreflightActivitiesImpl(sessions.shells(), sessions));
      PreflightActivities stub =
          testEnv.newActivityStub(
              PreflightActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      PreflightRequest request =
          new PreflightRequest(
              "shop",
              List.of(),
              List.of(),
              List.of(
                  new PreflightDatabase(
                      "replica",
                      replicaOnly.endpoint("shop", "postgres", "env:REPLICA_PW", PgAccess.JDBC),
                      true,
                      false,
                      List.of())),
              List.of(),
              List.of());

      // when preflight runs
      ActivityFailure failure =
          catchThrowableOfType(ActivityFailure.class, () -> stub.check(request));

      // then it stops the migration before the first step, with the database's problem in the
      // message
      ApplicationFailure cause = (ApplicationFailure) failure.getCause();
      assertThat(cause.getType()).isEqualTo(CutoverErrors.PREFLIGHT_FAILED);
      assertThat(cause.getOriginalMessage())
          .startsWith("preflight found 1 problem:")
          .contains("replica-only: publish from replica")
          .contains("wal_level = replica");
    } finally {
      testEnv.close();
    }
  }

  private static List<PreflightCheck> run(
      PgSessions with, List<PreflightDatabase> databases, List<PreflightDbCopy> copies) {
    List<PreflightCheck> checks = new ArrayList<>();
    new PgPreflight(with).check(databases, copies, checks::add, ExecWatch.NONE);
    return checks;
  }
}
