package dev.cutover.steps.pgdatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code pg-database} step against a real PostgreSQL server, reached through JDBC and through
 * psql on the host. The server logs every statement, so the tests can prove the owner's password
 * never reaches it in plain text.
 */
@RealTools
class PgDatabaseActivitiesImplTest {
  static final String OWNER_PW = "Own3r-pw-7c1d'q";
  static final String OTHER_PW = "S3cond-pw-91ab";
  static final Runnable NO_BEAT = () -> {};
  static final AtomicInteger NEXT = new AtomicInteger();

  static PgTestCluster pg;
  static Map<String, String> env;
  static PgDatabaseActivitiesImpl activities;

  String database;
  String owner;

  @BeforeAll
  static void startServer() {
    PgTestCluster.requireInstalled();
    pg = PgTestCluster.start("new", List.of("log_statement=all"));
    env = new HashMap<>(Map.of("ADMIN_PW", pg.superuserPassword(), "OWNER_PW", OWNER_PW));
    SecretResolver secrets = new SecretResolver(env);
    activities =
        new PgDatabaseActivitiesImpl(
            new PgSessions(new HostShells(new NoSshTransport(), Set.of()), secrets), secrets);
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void names() {
    int n = NEXT.incrementAndGet();
    database = "finance" + n;
    owner = "financedbadministrator" + n;
    env.put("OWNER_PW", OWNER_PW);
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void createsTheRoleAndTheDatabaseItOwnsAndTheOwnerLogsInWithItsPassword(PgAccess access)
      throws SQLException {
    // given no role and no database of these names (runbook 000: create user ... with password;
    // create database ... owner ...)
    // when the step runs
    PgDatabaseResult result = activities.create(request(access, null, null), NO_BEAT);

    // then both exist, the database is the role's, and the role logs in over TCP with the secret's
    // password
    assertThat(owner(database)).isEqualTo(owner);
    try (Connection c = pg.connect(database, owner, OWNER_PW, "pg-database-test")) {
      assertThat(c.isValid(5)).isTrue();
    }
    assertThat(result).isEqualTo(new PgDatabaseResult(database, owner, true, true, true, "UTF8"));
    // and the password went to the server hashed only: not in its statement log, which holds the
    // statements
    assertThat(pg.logTail())
        .contains("CREATE DATABASE")
        .contains("SCRAM-SHA-256$")
        .doesNotContain(OWNER_PW);
    assertThat(result.toString()).doesNotContain(OWNER_PW);
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void runningAgainIsFineAndSetsThePasswordAgain(PgAccess access) throws SQLException {
    // given the step ran once, and the secret has changed since
    activities.create(request(access, null, null), NO_BEAT);
    env.put("OWNER_PW", OTHER_PW);

    // when it runs again (a retry, or the operator re-running it)
    PgDatabaseResult again = activities.create(request(access, null, null), NO_BEAT);

    // then nothing is created twice, it still knows both are its own, and the new password works
    assertThat(again.createdRole()).isTrue();
    assertThat(again.createdDatabase()).isTrue();
    try (Connection c = pg.connect(database, owner, OTHER_PW, "pg-database-test")) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  void aRoleAndDatabaseMadeByHandWithTheSameOwnerAreAcceptedAndNeverDropped() throws SQLException {
    // given an operator already created both, the database owned by the role
    pg.createRole(owner, "by-hand-pw", null);
    pg.sql("postgres", "CREATE DATABASE " + database + " OWNER " + owner);

    // when the step runs, then its undo
    PgDatabaseResult result = activities.create(request(PgAccess.JDBC, null, null), NO_BEAT);
    PgDatabaseDropResult undo = activities.drop(request(PgAccess.JDBC, null, null), NO_BEAT);

    // then it accepted them, set the password from the secret, and the undo dropped nothing
    assertThat(result.createdRole()).isFalse();
    assertThat(result.createdDatabase()).isFalse();
    assertThat(result.passwordSet()).isTrue();
    try (Connection c = pg.connect(database, owner, OWNER_PW, "pg-database-test")) {
      assertThat(c.isValid(5)).isTrue();
    }
    assertThat(undo).isEqualTo(new PgDatabaseDropResult(false, false, null));
    assertThat(owner(database)).isEqualTo(owner);
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void aDatabaseOwnedBySomeoneElseStopsTheStepBeforeAnythingChanges(PgAccess access) {
    // given the database exists, owned by postgres
    pg.sql("postgres", "CREATE DATABASE " + database);

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.create(request(access, null, null), NO_BEAT));

    // then it stops for a person, saying whose it is, and the role was not created
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step make-db on the server new:" + pg.port())
        .contains("owned by postgres, not " + owner)
        .contains("nothing was changed");
    assertThat(pg.query("postgres", "SELECT 1 FROM pg_roles WHERE rolname = '" + owner + "'"))
        .isEmpty();
  }

  @Test
  void encodingAndLocaleAreSetAndAnExistingDatabaseWithAnotherEncodingIsRefused() {
    // given a step asking for SQL_ASCII and the C locale
    PgDatabaseResult result = activities.create(request(PgAccess.JDBC, "SQL_ASCII", "C"), NO_BEAT);

    // then the database has them
    assertThat(result.encoding()).isEqualTo("SQL_ASCII");
    assertThat(
            pg.query(
                "postgres",
                "SELECT datcollate, datctype FROM pg_database WHERE datname = '" + database + "'"))
        .containsExactly(List.of("C", "C"));

    // and when the same database is asked for in UTF8, it is refused rather than restored into
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.create(request(PgAccess.JDBC, "UTF8", null), NO_BEAT));
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.getOriginalMessage()).contains("encoding SQL_ASCII, not UTF8");
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void theUndoDropsWhatTheStepCreatedAndIsIdempotent(PgAccess access) {
    // given the step created both
    activities.create(request(access, null, null), NO_BEAT);

    // when the undo runs, twice
    PgDatabaseDropResult first = activities.drop(request(access, null, null), NO_BEAT);
    PgDatabaseDropResult second = activities.drop(request(access, null, null), NO_BEAT);

    // then both are gone, and the second run found nothing to drop
    assertThat(first).isEqualTo(new PgDatabaseDropResult(true, true, null));
    assertThat(second).isEqualTo(new PgDatabaseDropResult(false, false, null));
    assertThat(pg.query("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + database + "'"))
        .isEmpty();
    assertThat(pg.query("postgres", "SELECT 1 FROM pg_roles WHERE rolname = '" + owner + "'"))
        .isEmpty();
  }

  @Test
  void theUndoKeepsARoleThatOwnsSomethingElsewhere() {
    // given the step created both, and the role has since been given a table in another database
    activities.create(request(PgAccess.JDBC, null, null), NO_BEAT);
    pg.createDatabase(database + "_other");
    pg.sql(database + "_other", "CREATE TABLE audit (id int); ALTER TABLE audit OWNER TO " + owner);

    // when the undo runs
    PgDatabaseDropResult undo = activities.drop(request(PgAccess.JDBC, null, null), NO_BEAT);

    // then its database is dropped, the role is kept, and the result says why
    assertThat(undo.droppedDatabase()).isTrue();
    assertThat(undo.droppedRole()).isFalse();
    assertThat(undo.keptRole())
        .contains("role " + owner + " still owns or has rights on 1 objects");
    assertThat(pg.query("postgres", "SELECT 1 FROM pg_roles WHERE rolname = '" + owner + "'"))
        .hasSize(1);
  }

  @Test
  void aMissingPasswordSecretIsNonRetryableAndNamesTheReferenceNotAValue() {
    // given a step whose password secret is not set on the worker
    PgDatabaseRequest request =
        new PgDatabaseRequest(
            "mig-1",
            "make-db",
            pg.endpoint(database, PgTestCluster.SUPERUSER, "env:ADMIN_PW", PgAccess.JDBC),
            owner,
            "env:NOT_SET_ANYWHERE",
            null,
            null);

    // when it runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.create(request, NO_BEAT));

    // then it stops before connecting, naming the role and the reference
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("password of role " + owner)
        .contains("NOT_SET_ANYWHERE");
    assertThat(pg.query("postgres", "SELECT 1 FROM pg_roles WHERE rolname = '" + owner + "'"))
        .isEmpty();
  }

  @Test
  void aPasswordBeyondAsciiLogsInToo() throws SQLException {
    // given a password with letters beyond ASCII, which clients normalize before they hash it
    env.put("OWNER_PW", "pässwörd-ß-Ω1");

    // when the step sets it
    activities.create(request(PgAccess.JDBC, null, null), NO_BEAT);

    // then the owner logs in with it
    try (Connection c = pg.connect(database, owner, "pässwörd-ß-Ω1", "pg-database-test")) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  private PgDatabaseRequest request(PgAccess access, String encoding, String locale) {
    return new PgDatabaseRequest(
        "mig-1",
        "make-db",
        pg.endpoint(database, PgTestCluster.SUPERUSER, "env:ADMIN_PW", access),
        owner,
        "env:OWNER_PW",
        encoding,
        locale);
  }

  private static String owner(String database) {
    return pg.query(
            "postgres",
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '" + database + "'")
        .get(0)
        .get(0);
  }
}
