package dev.cutover.steps.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RewritingShells;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sessions against a real PostgreSQL server, through JDBC from the worker and through psql on the
 * (local) host: both return the same rows, and both classify what goes wrong the same way, naming
 * the database and never the password.
 */
@RealTools
class PgSessionsTest {
  static final String PASSWORD = "s3cret-Pass'word";
  static final String WRONG_PASSWORD = "not-the-Password-8c1e";

  static PgTestCluster pg;
  static SecretResolver secrets;
  final PgSessions sessions =
      new PgSessions(new HostShells(new NoSshTransport(), Set.of()), secrets);

  @BeforeAll
  static void startServer() {
    PgTestCluster.requireInstalled();
    pg = PgTestCluster.start("old");
    secrets =
        new SecretResolver(
            Map.of(
                "SHOP_PW",
                PASSWORD,
                "WRONG_PW",
                WRONG_PASSWORD,
                "SUPER_PW",
                pg.superuserPassword()));
    pg.createRole("cutover", PASSWORD, null);
    pg.createDatabase("shop");
    pg.sql(
        "shop",
        "create table items (id int primary key, name text, note text);"
            + "insert into items values (1, 'plain', null), (2, '', 'empty name'), (3, 'a,b \"quoted\"', E'two\\nlines');"
            + "grant select on items to cutover");
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void queryReturnsEveryValueAsTextWithNullsKept(PgAccess access) {
    // given a session to a table holding a NULL, an empty string, commas, quotes and a newline
    try (PgSession session = sessions.open("old-db", endpoint("shop", "env:SHOP_PW", access))) {
      // when it is queried
      PgRows rows = session.query("select id, name, note from items order by id");

      // then the values come back exactly, NULL apart from the empty string, whatever the access
      assertThat(rows.columns()).containsExactly("id", "name", "note");
      assertThat(rows.rows())
          .containsExactly(
              Arrays.asList("1", "plain", null),
              Arrays.asList("2", "", "empty name"),
              Arrays.asList("3", "a,b \"quoted\"", "two\nlines"));
      assertThat(rows.rowCount()).isEqualTo(3);
      assertThat(rows.truncated()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void queryKeepsTheFirstRowsAndCountsAll(PgAccess access) {
    // given a query returning 50 rows
    try (PgSession session = sessions.open("old-db", endpoint("shop", "env:SHOP_PW", access))) {
      // when only 5 are kept
      PgRows rows = session.query("select g from generate_series(1, 50) g", 5);

      // then the first 5 are there and all 50 are counted
      assertThat(rows.column("g")).containsExactly("1", "2", "3", "4", "5");
      assertThat(rows.rowCount()).isEqualTo(50);
      assertThat(rows.truncated()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void singleColumnEmptyStringAndEmptyResultAreTold(PgAccess access) {
    try (PgSession session = sessions.open("old-db", endpoint("shop", "env:SHOP_PW", access))) {
      // when a one-column query returns an empty string, and another returns no row
      PgRows empty = session.query("select '' as v");
      PgRows none = session.query("select 1 as v where false");

      // then the first has one row holding "", the second a header and no row
      assertThat(empty.rows()).containsExactly(List.of(""));
      assertThat(none.columns()).containsExactly("v");
      assertThat(none.isEmpty()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void executeRunsStatementsOutsideATransactionBlock(PgAccess access) {
    // given a superuser session
    try (PgSession session = sessions.open("admin", superuser("postgres", access))) {
      String db = "made_" + access.name().toLowerCase();

      // when it runs CREATE DATABASE, which refuses to run inside a transaction block
      session.execute("create database " + PgQuote.ident(db));

      // then the database exists, and the version is the server's
      assertThat(
              pg.query(
                  "postgres",
                  "select count(*) from pg_database where datname = " + PgQuote.literal(db)))
          .containsExactly(List.of("1"));
      assertThat(session.serverVersionNum()).isGreaterThanOrEqualTo(100000);
      assertThat(session.serverVersion()).matches("\\d+\\.\\d+");
    }
  }

  @Test
  void hostToolsWithoutAPasswordUseTheLocalSocket() {
    // given an endpoint without a password: the server trusts its socket (as peer authentication
    // would)
    try (PgSession session = sessions.open("old-db", endpoint("shop", null, PgAccess.HOST_TOOLS))) {
      // when it is queried
      PgRows rows = session.query("select count(*) from items");

      // then psql reached the server without TCP
      assertThat(rows.single()).isEqualTo("3");
      assertThat(session.query("select inet_client_addr() is null").single()).isEqualTo("t");
    }
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void wrongPasswordIsANonRetryableAuthenticationFailureNamingTheDatabase(PgAccess access) {
    // given an endpoint whose secret holds the wrong password
    PgEndpoint endpoint = endpoint("shop", "env:WRONG_PW", access);

    // when a session is used
    ApplicationFailure failure = failureOf(() -> query(endpoint, "select 1"));

    // then it stops at once, naming the database but never the password
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DB_AUTH_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("old-db (shop on old:" + pg.port() + ")")
        .contains("password authentication failed")
        .doesNotContain(WRONG_PASSWORD)
        .doesNotContain(PASSWORD);
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void missingDatabaseIsANonRetryableDatabaseMissing(PgAccess access) {
    // given an endpoint naming a database the server does not have
    PgEndpoint endpoint = endpoint("no_such_db", "env:SHOP_PW", access);

    // when a session is used
    ApplicationFailure failure = failureOf(() -> query(endpoint, "select 1"));

    // then it stops at once and says which database is missing
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DB_MISSING);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("old-db (no_such_db on old:")
        .contains("does not exist");
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void nothingListeningIsARetryableDatabaseUnreachable(PgAccess access) throws IOException {
    // given an endpoint on a port nothing listens on (a server restarting, say)
    PgEndpoint live = endpoint("shop", "env:SHOP_PW", access);
    int port = closedPort();
    PgEndpoint endpoint =
        new PgEndpoint(
            live.hostName(),
            live.host(),
            port,
            live.database(),
            live.user(),
            live.passwordSecret(),
            access,
            live.address());

    // when a session is used
    ApplicationFailure failure = failureOf(() -> query(endpoint, "select 1"));

    // then Temporal retries it
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DB_UNREACHABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("old-db (shop on old:" + port + ")")
        .doesNotContain(PASSWORD);
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void invalidSqlIsANonRetryableSqlError(PgAccess access) {
    // given a query on a table that does not exist
    PgEndpoint endpoint = endpoint("shop", "env:SHOP_PW", access);

    // when it runs
    ApplicationFailure failure = failureOf(() -> query(endpoint, "select * from no_such_table"));

    // then retrying cannot help, and the server's reason is in the message
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SQL_ERROR);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("old-db (shop on old:")
        .contains("relation \"no_such_table\" does not exist");
  }

  @Test
  void missingPasswordSecretNamesTheDatabaseAndTheReference() {
    // given an endpoint whose secret the worker does not have
    PgEndpoint endpoint = endpoint("shop", "env:NOT_SET_ANYWHERE", PgAccess.JDBC);

    // when a session is opened
    ApplicationFailure failure = failureOf(() -> sessions.open("old-db", endpoint));

    // then it stops at once, naming both
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("old-db (shop on old:")
        .contains("env:NOT_SET_ANYWHERE");
  }

  @Test
  void psqlMissingOnTheHostIsANonRetryableMissingToolNamingTheHost() {
    // given a host whose PATH has no psql
    HostShells noPsql = new RewritingShells(c -> c.withScript("PATH=/nonexistent; " + c.script()));
    PgSessions sessionsWithoutPsql = new PgSessions(noPsql, secrets);

    // when a host-tools session is used
    ApplicationFailure failure =
        failureOf(
            () -> {
              try (PgSession session =
                  sessionsWithoutPsql.open(
                      "old-db", endpoint("shop", "env:SHOP_PW", PgAccess.HOST_TOOLS))) {
                session.query("select 1");
              }
            });

    // then it stops at once, naming the host and the tool
    assertThat(failure.getType()).isEqualTo(CutoverErrors.MISSING_TOOL);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).startsWith("host old: psql is not installed");
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void aLongStatementBeatsWhileItRuns(PgAccess access) {
    // given a session with a beat and a statement that takes a few seconds
    AtomicInteger beats = new AtomicInteger();
    try (PgSession session =
        sessions.open("old-db", endpoint("shop", "env:SHOP_PW", access), beats::incrementAndGet)) {
      // when it runs
      session.query("select pg_sleep(2.5)");
    }

    // then the beat was called meanwhile (every 2s), as an activity's heartbeat needs
    assertThat(beats.get()).isGreaterThanOrEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void aBeatThatThrowsCancelsTheStatementOnTheServer(PgAccess access) {
    // given a beat that throws, as Temporal's heartbeat does once the activity is canceled
    RuntimeException canceled = new IllegalStateException("activity canceled");
    List<String> seen = new ArrayList<>();
    try (PgSession session =
        sessions.open(
            "old-db",
            endpoint("shop", "env:SHOP_PW", access),
            () -> {
              throw canceled;
            })) {
      // when a long statement runs
      seen.add(
          catchThrowableOfType(
                  IllegalStateException.class,
                  () -> session.query("select pg_sleep(600), 'cutover-long-sleep'"))
              .getMessage());
    }

    // then the caller gets the cancellation and the statement no longer runs on the server
    assertThat(seen).containsExactly("activity canceled");
    assertThat(awaitNoSleepingStatement()).isTrue();
  }

  // --- helpers
  // ------------------------------------------------------------------------------------

  static PgEndpoint endpoint(String db, String passwordRef, PgAccess access) {
    return pg.endpoint(db, "cutover", passwordRef, access);
  }

  PgEndpoint superuser(String db, PgAccess access) {
    return pg.endpoint(db, PgTestCluster.SUPERUSER, "env:SUPER_PW", access);
  }

  private void query(PgEndpoint endpoint, String sql) {
    try (PgSession session = sessions.open("old-db", endpoint)) {
      session.query(sql);
    }
  }

  private static ApplicationFailure failureOf(Runnable work) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, work::run);
    assertThat(failure).as("an ApplicationFailure").isNotNull();
    return failure;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Whether the canceled statement is gone from the server (cancellation is asynchronous). */
  private static boolean awaitNoSleepingStatement() {
    for (int i = 0; i < 100; i++) {
      List<List<String>> rows =
          pg.query(
              "postgres",
              "select count(*) from pg_stat_activity where query like "
                  + "'%cutover-long-sleep%' and query not like '%pg_stat_activity%'");
      if (rows.get(0).get(0).equals("0")) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
