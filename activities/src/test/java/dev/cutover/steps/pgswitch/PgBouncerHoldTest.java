package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.hosts.ssh.SshConnections;
import dev.cutover.hosts.ssh.SshSettings;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.testing.PgBouncerTestServer;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.SshTestServer;
import dev.cutover.testing.TempTree;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PgBouncerHold} against the real PgBouncer 1.18 in front of two real PostgreSQL servers,
 * {@code old} and {@code new}: each has a database {@code shop} whose table {@code side} says which
 * server answered, and a role {@code app} the application logs in as through the bouncer.
 */
@RealTools
class PgBouncerHoldTest {
  static final String APP = "app";
  static final String APP_PASSWORD = "app-secret";

  static PgTestCluster old;
  static PgTestCluster fresh;
  static HostShells shells;
  PgBouncerTestServer bouncer;

  @BeforeAll
  static void start() {
    PgTestCluster.requireInstalled();
    PgBouncerTestServer.requireInstalled();
    old = PgTestCluster.start("old");
    fresh = PgTestCluster.start("new");
    for (PgTestCluster c : new PgTestCluster[] {old, fresh}) {
      c.createRole(APP, APP_PASSWORD, null);
      c.createDatabase("shop");
      c.sql(
          "shop",
          "create table side(name text); insert into side values ('"
              + c.label()
              + "'); grant select on side to "
              + APP);
    }
    shells = new HostShells(new NoSshTransport(), Set.of());
  }

  @AfterAll
  static void stop() {
    for (PgTestCluster c : new PgTestCluster[] {old, fresh}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @AfterEach
  void stopBouncer() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @Test
  void aClientInATransactionLoopIsHeldDuringThePauseAndGoesOnToTheNewServer() throws Exception {
    // given the bouncer sending shop to old, and a client running transactions in a loop through it
    bouncer = startBouncer();
    Client client = new Client(bouncer);
    Thread loop = new Thread(client, "client-loop");
    loop.start();
    client.awaitCompleted(5);
    try (PgBouncerHold hold = hold(bouncer, bouncer.adminPassword(), "shop")) {
      hold.prepare();

      // when the hold pauses, repoints to new, and releases while the client has a query waiting
      hold.hold(Duration.ofSeconds(5));
      hold.pointAt(endpoint(fresh));
      int completedWhileHeld = client.completed.get();
      client.awaitWaiting();
      hold.release();
      client.awaitCompleted(completedWhileHeld + 5);
    } finally {
      client.stop.set(true);
      loop.join(10_000);
    }

    // then no query failed, the query that waited was answered by new, and the client went from old
    // to new once
    assertThat(client.errors).as("errors the client saw").isEmpty();
    assertThat(waitingAtReleaseOf(client)).isTrue();
    List<String> sides = client.sidesSnapshot();
    int firstNew = sides.indexOf("new");
    assertThat(firstNew).isPositive();
    assertThat(sides.subList(0, firstNew)).containsOnly("old");
    assertThat(sides.subList(firstNew, sides.size())).containsOnly("new");
    assertThat(Files.readString(bouncer.databasesFile()))
        .contains("shop = host='127.0.0.1' port=" + fresh.port() + " dbname='shop' pool_size=5");
  }

  /** Set by the test above from inside its when-block; a field keeps the assertion in then. */
  private static boolean waitingAtReleaseOf(Client client) {
    return client.heldQueryAnswered.get();
  }

  @Test
  void pointAtAndReleaseAreIdempotentAndPointingBackRestoresTheOriginalLine() throws Exception {
    // given the bouncer sending shop to old
    bouncer = startBouncer();
    String original = Files.readString(bouncer.databasesFile());
    try (PgBouncerHold hold = hold(bouncer, bouncer.adminPassword(), "shop")) {
      hold.prepare();

      // when released without a hold, held twice, pointed at new twice, released twice
      hold.release();
      hold.hold(Duration.ofSeconds(5));
      hold.hold(Duration.ofSeconds(5));
      hold.pointAt(endpoint(fresh));
      String afterFirst = Files.readString(bouncer.databasesFile());
      hold.pointAt(endpoint(fresh));
      hold.release();
      hold.release();

      // then it points at new, the file changed once with the original kept as a backup, and the
      // clients are served
      assertThat(hold.pointsAt(endpoint(fresh))).isTrue();
      assertThat(hold.pointsAt(endpoint(old))).isFalse();
      assertThat(Files.readString(bouncer.databasesFile())).isEqualTo(afterFirst);
      assertThat(Files.readString(backupOf(bouncer.databasesFile()))).isEqualTo(original);
      assertThat(sideThroughBouncer(bouncer)).isEqualTo("new");

      // and when pointed back at old, the file is byte for byte what it was
      hold.hold(Duration.ofSeconds(5));
      hold.pointAt(endpoint(old));
      hold.release();
      assertThat(Files.readString(bouncer.databasesFile())).isEqualTo(original);
      assertThat(hold.pointsAt(endpoint(old))).isTrue();
      assertThat(sideThroughBouncer(bouncer)).isEqualTo("old");
    }
  }

  @Test
  void aStagedRepointIsARenameOfTheStagedFileAndAFileChangedAfterTheStagingIsNotOverwritten()
      throws Exception {
    // given the bouncer sending shop to old, and a repoint to new staged before the hold
    bouncer = startBouncer();
    Path file = bouncer.databasesFile();
    String original = Files.readString(file);
    try (PgBouncerHold hold = hold(bouncer, bouncer.adminPassword(), "shop")) {
      hold.prepare();
      hold.stage(endpoint(fresh));
      Path staged = Path.of(file + ".cutover-new");
      String stagedText = Files.readString(staged);

      // when it holds, points at new and releases
      hold.hold(Duration.ofSeconds(5));
      hold.pointAt(endpoint(fresh));
      hold.release();

      // then the file is the staged one (moved, none left beside it), the original is the backup,
      // and clients reach new
      assertThat(stagedText).contains("port=" + fresh.port()).isNotEqualTo(original);
      assertThat(Files.readString(file)).isEqualTo(stagedText);
      assertThat(staged).doesNotExist();
      assertThat(Files.readString(backupOf(file))).isEqualTo(original);
      assertThat(sideThroughBouncer(bouncer)).isEqualTo("new");
    }

    // and given a repoint back to old staged, then the file edited by someone else
    try (PgBouncerHold hold = hold(bouncer, bouncer.adminPassword(), "shop")) {
      hold.prepare();
      hold.stage(endpoint(old));
      String edited = Files.readString(file) + "; edited by a person\n";
      Files.writeString(file, edited);

      // when it points at old
      ApplicationFailure f =
          catchThrowableOfType(ApplicationFailure.class, () -> hold.pointAt(endpoint(old)));

      // then it refuses as a conflict and the person's file stays
      assertThat(f.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
      assertThat(f.getOriginalMessage()).contains("changed since the step read it");
      assertThat(Files.readString(file)).isEqualTo(edited);
    }
  }

  @Test
  void aDatabaseLeftPausedByADeadWorkerIsHeldByTheNextAttemptAndReleasedToWhereItPoints()
      throws Exception {
    // given a worker that paused shop and died: its console connection is gone, shop stays paused
    bouncer = startBouncer();
    try (BouncerWire dead =
        new BouncerWire(
            "127.0.0.1",
            bouncer.port(),
            PgBouncerTestServer.ADMIN,
            bouncer.adminPassword(),
            Duration.ofSeconds(5))) {
      dead.query("PAUSE shop", Duration.ofSeconds(5));
    }
    try (PgBouncerHold hold = hold(bouncer, bouncer.adminPassword(), "shop")) {
      // when the next attempt prepares, holds, points at new and releases
      hold.prepare();
      hold.hold(Duration.ofSeconds(5));
      hold.pointAt(endpoint(fresh));
      hold.release();
    }

    // then clients go on, to new
    assertThat(sideThroughBouncer(bouncer)).isEqualTo("new");
  }

  @Test
  void aFileRewrittenButNotReloadedByADeadWorkerIsPreparedAndPointedAtNew() throws Exception {
    // given a worker that died after it rewrote the entry for new, before RELOAD: PgBouncer still
    // sends clients to old
    bouncer = startBouncer();
    Path file = bouncer.databasesFile();
    Files.writeString(
        file,
        Files.readString(file)
            .replace(
                "port=" + old.port() + " dbname=shop", "port=" + fresh.port() + " dbname=shop"));
    try (PgBouncerHold hold = hold(bouncer, bouncer.adminPassword(), "shop")) {
      // when the next attempt prepares, holds, points at new and releases
      List<String> preflight = hold.preflight();
      hold.prepare();
      boolean pointedBefore = hold.pointsAt(endpoint(fresh));
      hold.hold(Duration.ofSeconds(5));
      hold.pointAt(endpoint(fresh));
      hold.release();

      // then preflight named the disagreement, and the switch went through to new
      assertThat(preflight).singleElement().asString().contains("[InvalidConfig]").contains("says");
      assertThat(pointedBefore).isFalse();
      assertThat(hold.pointsAt(endpoint(fresh))).isTrue();
      assertThat(sideThroughBouncer(bouncer)).isEqualTo("new");
    }
  }

  @Test
  void aWrongAdminPasswordOrANonAdminUserIsANonRetryableAuthFailureNamingUserAndAddress() {
    // given the bouncer
    bouncer = startBouncer();

    // when prepared with a wrong admin password, and as a user that is not in admin_users
    ApplicationFailure wrong =
        catchThrowableOfType(
            ApplicationFailure.class, () -> hold(bouncer, "wrong-password", "shop").prepare());
    PgBouncerHold asApp =
        new PgBouncerHold(
            new PgBouncerSpec(
                "old", bouncer.port(), APP, "env:X", "shop", bouncer.databasesFile().toString()),
            Host.local("bouncer"),
            APP_PASSWORD,
            shells,
            false);
    ApplicationFailure notAdmin = catchThrowableOfType(ApplicationFailure.class, asApp::prepare);

    // then both stop at once, naming the user and where the console is
    assertThat(wrong.getType()).isEqualTo(CutoverErrors.DB_AUTH_FAILED);
    assertThat(wrong.isNonRetryable()).isTrue();
    assertThat(wrong.getOriginalMessage())
        .contains("admin user " + PgBouncerTestServer.ADMIN)
        .contains("127.0.0.1:" + bouncer.port())
        .doesNotContain("wrong-password");
    assertThat(notAdmin.getType()).isEqualTo(CutoverErrors.DB_AUTH_FAILED);
    assertThat(notAdmin.isNonRetryable()).isTrue();
    assertThat(notAdmin.getOriginalMessage()).contains("admin user " + APP).contains("admin_users");
    assertThat(asApp.preflight())
        .singleElement()
        .asString()
        .contains("[DatabaseAuthenticationFailed]");
  }

  @Test
  void theConsoleLogsInWithMd5AndCleartextPasswordsToo() {
    for (String auth : List.of("md5", "plain")) {
      // given a bouncer asking for passwords that way
      try (PgBouncerTestServer b =
          PgBouncerTestServer.start(
              List.of("shop = host=127.0.0.1 port=" + old.port() + " dbname=shop"),
              Map.of(),
              List.of("auth_type = " + auth))) {
        // when prepared with the right password and with a wrong one
        PgBouncerHold right = hold(b, b.adminPassword(), "shop");
        right.prepare();
        boolean pointsAtOld = right.pointsAt(endpoint(old));
        right.close();
        ApplicationFailure wrong =
            catchThrowableOfType(
                ApplicationFailure.class, () -> hold(b, "wrong-password", "shop").prepare());

        // then the right one logs in and the wrong one is refused as such
        assertThat(pointsAtOld).as(auth).isTrue();
        assertThat(wrong.getType()).as(auth).isEqualTo(CutoverErrors.DB_AUTH_FAILED);
      }
    }
  }

  @Test
  void anEntryPgBouncerDoesNotServeOrTheFileDoesNotHoldIsANonRetryableConfigFailure() {
    // given the bouncer, whose main file includes the file with the entries
    bouncer = startBouncer();

    // when prepared for an entry it does not have, and with the main file, which lacks the entry
    ApplicationFailure unknown =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> hold(bouncer, bouncer.adminPassword(), "nosuch").prepare());
    PgBouncerHold wrongFile =
        new PgBouncerHold(
            new PgBouncerSpec(
                "old",
                bouncer.port(),
                PgBouncerTestServer.ADMIN,
                "env:X",
                "shop",
                bouncer.mainConfig().toString()),
            Host.local("bouncer"),
            bouncer.adminPassword(),
            shells,
            false);
    ApplicationFailure notInFile =
        catchThrowableOfType(ApplicationFailure.class, wrongFile::prepare);

    // then both stop at once, naming the entry and the file
    assertThat(unknown.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(unknown.isNonRetryable()).isTrue();
    assertThat(unknown.getOriginalMessage())
        .contains("no database entry nosuch")
        .contains(bouncer.databasesFile().toString());
    assertThat(notInFile.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(notInFile.isNonRetryable()).isTrue();
    assertThat(notInFile.getOriginalMessage())
        .contains(bouncer.mainConfig().toString())
        .contains("no entry shop");
    assertThat(wrongFile.preflight()).singleElement().asString().contains("[InvalidConfig]");
  }

  @Test
  void aPauseThatCannotFinishInTimeResumesSoClientsStayServedAndFailsRetryably() throws Exception {
    // given the bouncer and a client holding a server connection in an open transaction
    bouncer = startBouncer();
    try (Connection busy = appConnection(bouncer);
        PgBouncerHold hold = hold(bouncer, bouncer.adminPassword(), "shop")) {
      busy.setAutoCommit(false);
      try (Statement s = busy.createStatement()) {
        s.executeQuery("select name from side").close();
      }
      hold.prepare();

      // when the hold may wait 300 ms for the pause
      ApplicationFailure timedOut =
          catchThrowableOfType(ApplicationFailure.class, () -> hold.hold(Duration.ofMillis(300)));
      busy.commit();

      // then it fails retryably and another client is served at once, by old
      assertThat(timedOut.getType()).isEqualTo(CutoverErrors.COMMAND_TIMED_OUT);
      assertThat(timedOut.isNonRetryable()).isFalse();
      assertThat(timedOut.getOriginalMessage()).contains("PAUSE did not finish within 300 ms");
      assertThat(sideThroughBouncer(bouncer)).isEqualTo("old");
    }
  }

  @Test
  void underSessionPoolingAConnectedClientKeepsItsServerConnectionSoThePauseCannotFinish()
      throws Exception {
    // given a bouncer pooling sessions and an idle client connected through it
    bouncer =
        PgBouncerTestServer.start(
            List.of("shop = host=127.0.0.1 port=" + old.port() + " dbname=shop"),
            Map.of(APP, APP_PASSWORD),
            List.of("pool_mode = session"));
    try (Connection idle = appConnection(bouncer);
        PgBouncerHold hold = hold(bouncer, bouncer.adminPassword(), "shop")) {
      try (Statement s = idle.createStatement()) {
        s.executeQuery("select 1").close();
      }
      hold.prepare();

      // when the hold may wait 300 ms for the pause
      ApplicationFailure timedOut =
          catchThrowableOfType(ApplicationFailure.class, () -> hold.hold(Duration.ofMillis(300)));

      // then it cannot hold (the client is not cut either) and the idle client is still served
      assertThat(timedOut.getType()).isEqualTo(CutoverErrors.COMMAND_TIMED_OUT);
      try (Statement s = idle.createStatement();
          ResultSet rs = s.executeQuery("select name from side")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("old");
      }
    }
  }

  /**
   * Not an assertion (speed belongs to bench/): how long hold, pointAt and release take with idle
   * clients connected, printed for the notes.
   */
  @Test
  void figureHoldPointAtReleaseWithIdleClients() throws Exception {
    bouncer = startBouncer();
    List<Connection> idle = new ArrayList<>();
    try (PgBouncerHold hold = hold(bouncer, bouncer.adminPassword(), "shop")) {
      for (int i = 0; i < 5; i++) {
        Connection c = appConnection(bouncer);
        try (Statement s = c.createStatement()) {
          s.executeQuery("select 1").close();
        }
        idle.add(c);
      }
      hold.prepare();
      List<String> lines = new ArrayList<>();
      PgEndpoint[] targets = {endpoint(fresh), endpoint(old)};
      for (int round = 0; round < 6; round++) {
        hold.stage(targets[round % 2]);
        long t0 = System.nanoTime();
        hold.hold(Duration.ofSeconds(5));
        long t1 = System.nanoTime();
        hold.pointAt(targets[round % 2]);
        long t2 = System.nanoTime();
        hold.release();
        long t3 = System.nanoTime();
        lines.add(
            String.format(
                "round %d: hold %.1f ms, pointAt %.1f ms, release %.1f ms, total %.1f ms",
                round, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t3 - t0)));
      }
      System.out.println("FIGURE pgbouncer hold+pointAt+release, 5 idle clients:");
      lines.forEach(l -> System.out.println("FIGURE " + l));
      assertThat(sideThroughBouncer(bouncer)).isEqualTo("old");
    } finally {
      for (Connection c : idle) {
        c.close();
      }
    }
  }

  /**
   * The bouncer's host reached over SSH (an in-process sshd running real commands): the file is
   * read and replaced through the host's connection, opened in prepare. Prints the same figure.
   */
  @Test
  void overSshTheEntryIsRewrittenThroughTheHostsConnection(@TempDir Path dir) throws Exception {
    // given the bouncer on a host the worker reaches over SSH
    bouncer = startBouncer();
    try (SshTestServer sshd = SshTestServer.start();
        SshConnections ssh =
            new SshConnections(SshSettings.defaults(), new SecretResolver(Map.of()))) {
      Host overSsh = sshd.host(sshd.writeKnownHosts(dir.resolve("known_hosts")));
      HostShells sshShells = new HostShells(ssh, Set.of());
      List<String> lines = new ArrayList<>();
      try (PgBouncerHold hold =
          new PgBouncerHold(
              new PgBouncerSpec(
                  "old",
                  bouncer.port(),
                  PgBouncerTestServer.ADMIN,
                  "env:BOUNCER_ADMIN",
                  "shop",
                  bouncer.databasesFile().toString()),
              overSsh,
              bouncer.adminPassword(),
              sshShells,
              false)) {
        hold.prepare();
        int commandsAfterPrepare = sshd.commandCount();

        // when it holds, repoints (to new, old, new...) and releases a few times, ending on new,
        // the
        // repoints of rounds 1, 2 and 5 staged before the hold (as the switch does), 3 and 4 not
        PgEndpoint[] targets = {endpoint(old), endpoint(fresh)};
        int commandsHeld = 0;
        for (int round = 1; round <= 5; round++) {
          PgEndpoint target = targets[round % 2];
          boolean staged = round != 3 && round != 4;
          if (staged) {
            hold.stage(target);
          }
          int commandsBefore = sshd.commandCount();
          long t0 = System.nanoTime();
          hold.hold(Duration.ofSeconds(5));
          long t1 = System.nanoTime();
          hold.pointAt(target);
          long t2 = System.nanoTime();
          hold.release();
          long t3 = System.nanoTime();
          commandsHeld += sshd.commandCount() - commandsBefore;
          lines.add(
              String.format(
                  "ssh round %d (%s): hold %.1f ms, pointAt %.1f ms, release %.1f ms, total %.1f ms",
                  round,
                  staged ? "staged" : "not staged",
                  ms(t1 - t0),
                  ms(t2 - t1),
                  ms(t3 - t2),
                  ms(t3 - t0)));
        }

        // then each repoint was one command on the host while held (and a staging one before),
        // over the connection prepare opened, and clients reach new
        assertThat(commandsHeld).isEqualTo(5);
        assertThat(sshd.commandCount() - commandsAfterPrepare).isEqualTo(8);
        assertThat(sshd.connectionCount()).isEqualTo(1);
        assertThat(hold.pointsAt(endpoint(fresh))).isTrue();
        assertThat(sideThroughBouncer(bouncer)).isEqualTo("new");
      }
      // For scale: what one command through the same connection costs with nothing to do.
      var shell = sshShells.shell("old", overSsh);
      for (int i = 1; i <= 5; i++) {
        long t0 = System.nanoTime();
        shell.exec(dev.cutover.hosts.ShellCommand.of("true", Duration.ofSeconds(10)));
        lines.add(String.format("ssh 'true' %d: %.1f ms", i, ms(System.nanoTime() - t0)));
      }
      System.out.println("FIGURE pgbouncer hold+pointAt+release over ssh, no clients:");
      lines.forEach(l -> System.out.println("FIGURE " + l));
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static PgBouncerTestServer startBouncer() {
    return PgBouncerTestServer.start(
        List.of(
            "other = host=127.0.0.1 port=" + fresh.port() + " dbname=postgres",
            "shop = host=127.0.0.1 port=" + old.port() + " dbname=shop pool_size=5"),
        Map.of(APP, APP_PASSWORD),
        List.of());
  }

  private static PgBouncerHold hold(PgBouncerTestServer b, String adminPassword, String entry) {
    return new PgBouncerHold(
        new PgBouncerSpec(
            "old",
            b.port(),
            PgBouncerTestServer.ADMIN,
            "env:BOUNCER_ADMIN",
            entry,
            b.databasesFile().toString()),
        Host.local("the bouncer's host"),
        adminPassword,
        shells,
        false);
  }

  private static PgEndpoint endpoint(PgTestCluster c) {
    return c.endpoint("shop", APP, "env:APP", PgAccess.JDBC);
  }

  private static Path backupOf(Path file) {
    return Path.of(file + PgBouncerHold.BACKUP_SUFFIX);
  }

  static Connection appConnection(PgBouncerTestServer b) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", APP);
    props.setProperty("password", APP_PASSWORD);
    // Through a transaction pooler: no server-side prepared statements.
    props.setProperty("prepareThreshold", "0");
    props.setProperty("connectTimeout", "5");
    props.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(b.jdbcUrl("shop"), props);
  }

  static String sideThroughBouncer(PgBouncerTestServer b) throws SQLException {
    try (Connection c = appConnection(b);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select name from side")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** An application: one connection, a transaction after another, each asking which server. */
  static final class Client implements Runnable {
    final PgBouncerTestServer bouncer;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicBoolean heldQueryAnswered = new AtomicBoolean();
    final List<String> sides = Collections.synchronizedList(new ArrayList<>());
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile int waitingSince = -1;

    Client(PgBouncerTestServer bouncer) {
      this.bouncer = bouncer;
    }

    @Override
    public void run() {
      try (Connection c = appConnection(bouncer)) {
        c.setAutoCommit(false);
        while (!stop.get()) {
          int n = started.incrementAndGet();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select name from side")) {
            rs.next();
            String side = rs.getString(1);
            c.commit();
            sides.add(side);
            if (n == waitingSince && "new".equals(side)) {
              heldQueryAnswered.set(true);
            }
            completed.incrementAndGet();
          } catch (SQLException e) {
            errors.add(e.getMessage());
            return;
          }
        }
      } catch (SQLException e) {
        errors.add(e.getMessage());
      }
    }

    List<String> sidesSnapshot() {
      synchronized (sides) {
        return new ArrayList<>(sides);
      }
    }

    /** Waits until a query has been sent and not answered: the client is held. */
    void awaitWaiting() {
      long deadline = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < deadline) {
        int s = started.get();
        if (s > completed.get()) {
          // Still unanswered a moment later: it waits in the bouncer, not on the server.
          TempTree.pause(100, "the client's query");
          if (started.get() == s && completed.get() < s) {
            waitingSince = s;
            return;
          }
        }
        TempTree.pause(5, "the client's next query");
      }
      throw new AssertionError("the client never waited; errors: " + errors);
    }

    void awaitCompleted(int n) {
      long deadline = System.currentTimeMillis() + 20_000;
      while (completed.get() < n && errors.isEmpty() && System.currentTimeMillis() < deadline) {
        TempTree.pause(10, "the client's queries");
      }
      assertThat(errors).as("errors the client saw").isEmpty();
      assertThat(completed.get()).as("queries answered").isGreaterThanOrEqualTo(n);
    }
  }
}
