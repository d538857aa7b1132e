package dev.cutover.steps.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code pg-connections} step against a real server with real clients: JDBC connections the
 * test opens as an application would, and a real walsender (pg_recvlogical).
 */
@Timeout(
    value = 2,
    unit = TimeUnit.MINUTES) // a watcher that never sees the database free would wait forever
@RealTools
class PgConnectionWatcherTest {
  static final String PASSWORD = "watch-Pw-77aa";
  static final Duration FAST = Duration.ofMillis(100);
  static final AtomicInteger DATABASES = new AtomicInteger();

  static PgTestCluster pg;
  static PgConnectionWatcher watcher;

  final List<Connection> clients = new CopyOnWriteArrayList<>();
  final List<PgConnectionsProgress> beats = new CopyOnWriteArrayList<>();
  String db;

  @BeforeAll
  static void startServer() {
    PgTestCluster.requireInstalled();
    pg = PgTestCluster.start("old");
    pg.createRole("cutover", PASSWORD, "SUPERUSER");
    pg.createRole("watcher", PASSWORD, null);
    pg.createRole("app", PASSWORD, null);
    pg.createRole("monitor", PASSWORD, null);
    pg.createRole("replicator", PASSWORD, "REPLICATION");
    watcher =
        new PgConnectionWatcher(
            new PgSessions(
                new HostShells(new NoSshTransport(), Set.of()),
                new SecretResolver(Map.of("DB_PW", PASSWORD))));
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void freshDatabase() {
    // A database per test: no test sees another's clients.
    db = "shop" + DATABASES.incrementAndGet();
    pg.createDatabase(db);
  }

  @AfterEach
  void closeClients() throws SQLException {
    for (Connection c : clients) {
      c.close();
    }
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void noClientReturnsAtOnce(PgAccess access) {
    // given a database nobody uses
    // when the step runs
    PgConnectionsResult result =
        watcher.waitForNoConnections(request("cutover", access, false, null), this::record);

    // then it is done, having terminated nobody (its own connection does not count)
    assertThat(result.terminated()).isZero();
    assertThat(result.terminatedClients()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void waitsUntilTheLastClientHasLeft(PgAccess access) throws SQLException {
    // given an application connected to the database, which leaves once the step has seen it
    Connection app = client("app", "shop-web");
    Heartbeat<Object> heartbeat =
        details -> {
          record(details);
          if (details instanceof PgConnectionsProgress p && p.connected() > 0) {
            close(app);
          }
        };

    // when the step runs
    PgConnectionsResult result =
        watcher.waitForNoConnections(request("cutover", access, false, null), heartbeat);

    // then it reported the client while waiting, and returned once it had gone, terminating nobody
    assertThat(beats).contains(new PgConnectionsProgress(1, List.of("app@127.0.0.1 shop-web")));
    assertThat(app.isClosed()).isTrue();
    assertThat(result.terminated()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"cutover", "watcher"})
  void ignoredUsersApplicationsAndWalsendersDoNotCount(String stepUser) throws Exception {
    // given a monitoring role, a backup agent and a logical walsender connected to the database
    // (seen by a superuser, and by a role from which the server hides the walsender's backend type)
    client("monitor", "prometheus");
    client("app", "backup-agent");
    String slot = "slot_" + db; // slots are per server
    pg.sql(db, "select pg_create_logical_replication_slot('" + slot + "', 'test_decoding')");
    Process walsender = startWalsender(slot);
    try {
      // when the step runs, ignoring the role and the application
      PgConnectionsRequest request =
          new PgConnectionsRequest(
              "no-clients",
              endpoint(stepUser, PgAccess.JDBC),
              List.of("monitor"),
              List.of("backup-agent"),
              false,
              null,
              FAST);
      PgConnectionsResult result = watcher.waitForNoConnections(request, this::record);

      // then none of them keeps it waiting
      assertThat(result.terminated()).isZero();
      assertThat(beats).isEmpty();
    } finally {
      walsender.destroy();
      walsender.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void terminatesClientsThatStayPastTerminateAfter(PgAccess access) throws SQLException {
    // given an application that never disconnects by itself
    Connection stubborn = client("app", "stubborn-worker");

    // when the step runs with terminate after a short grace
    PgConnectionsResult result =
        watcher.waitForNoConnections(request("cutover", access, true, FAST), this::record);

    // then the client was terminated and reported by name, and its connection is dead
    assertThat(result.terminated()).isEqualTo(1);
    assertThat(result.terminatedClients()).containsExactly("app@127.0.0.1 stubborn-worker");
    assertThat(stubborn.isValid(5)).isFalse();
    assertThat(beats)
        .contains(new PgConnectionsProgress(1, List.of("app@127.0.0.1 stubborn-worker")));
  }

  @Test
  void aRoleWithoutPrivilegesStillSeesOtherRolesClients() throws SQLException {
    // given a client of another role: the server hides its address and backend type from the step's
    // user
    Connection app = client("app", "shop-web");
    Heartbeat<Object> heartbeat =
        details -> {
          record(details);
          if (details instanceof PgConnectionsProgress p && p.connected() > 0) {
            close(app);
          }
        };

    // when a step whose user has no privileges runs
    PgConnectionsResult result =
        watcher.waitForNoConnections(request("watcher", PgAccess.JDBC, false, null), heartbeat);

    // then it still waited for the client, shown without its address
    assertThat(beats).contains(new PgConnectionsProgress(1, List.of("app@? shop-web")));
    assertThat(result.terminated()).isZero();
  }

  @Test
  void terminatingOtherRolesClientsWithoutTheRightIsANonRetryablePermissionDenied()
      throws SQLException {
    // given a client of another role, and a step user that may not signal it
    client("app", "shop-web");

    // when the step runs with terminate
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                watcher.waitForNoConnections(
                    request("watcher", PgAccess.JDBC, true, null), this::record));

    // then it stops and says which grant is missing
    assertThat(failure.getType()).isEqualTo(CutoverErrors.PERMISSION_DENIED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step no-clients on database " + db)
        .contains("grant pg_signal_backend to watcher");
  }

  // --- helpers
  // ------------------------------------------------------------------------------------

  private PgConnectionsRequest request(
      String user, PgAccess access, boolean terminate, Duration terminateAfter) {
    return new PgConnectionsRequest(
        "no-clients",
        endpoint(user, access),
        List.of(),
        List.of(),
        terminate,
        terminateAfter,
        FAST);
  }

  private PgEndpoint endpoint(String user, PgAccess access) {
    return pg.endpoint(db, user, "env:DB_PW", access);
  }

  private Connection client(String user, String application) throws SQLException {
    Connection c = pg.connect(db, user, PASSWORD, application);
    clients.add(c);
    return c;
  }

  private void record(Object details) {
    if (details instanceof PgConnectionsProgress p) {
      beats.add(p);
    }
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** pg_recvlogical streaming from the slot: a walsender connected to the database. */
  private Process startWalsender(String slot) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                pg.binDir().resolve("pg_recvlogical").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(pg.port()),
                "-U",
                "replicator",
                "-d",
                db,
                "--slot",
                slot,
                "--start",
                "-f",
                "/dev/null")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("PGPASSWORD", PASSWORD);
    Process process = builder.start();
    for (int i = 0; i < 300; i++) {
      if ("true"
          .equals(
              pg.query(
                      db,
                      "select active::text from pg_replication_slots where slot_name = '"
                          + slot
                          + "'")
                  .get(0)
                  .get(0))) {
        return process;
      }
      assertThat(process.isAlive()).as("pg_recvlogical is running").isTrue();
      Thread.sleep(50);
    }
    process.destroy();
    throw new IllegalStateException("pg_recvlogical did not attach to slot " + slot);
  }
}
