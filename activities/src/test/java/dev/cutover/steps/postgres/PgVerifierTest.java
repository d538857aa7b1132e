package dev.cutover.steps.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code pg-verify} step between two real servers ({@code old} and {@code new}) holding the
 * same data, written in a different order and with columns created in a different order on the new
 * one, as a copy or a replication may leave it.
 */
@RealTools
class PgVerifierTest {
  static final String PASSWORD = "verify-Pw-3b9d";
  static final AtomicInteger DATABASES = new AtomicInteger();
  static final Heartbeat<Object> IGNORE = details -> {};

  /**
   * Types whose text depends on session settings (time zone, date and float styles) are in on
   * purpose.
   */
  static final String OLD_SCHEMA =
      "create table public.items (id int primary key, name text, price numeric(10,2),"
          + " created timestamptz, ratio float8, data bytea, span interval);"
          + "create schema sales; create table sales.\"Orders\" (id bigint primary key, item int, qty int);"
          + "create table public.empty (id int);"
          + "create table public.events (id int, at date) partition by range (at);"
          + "create table public.events_2024 partition of public.events for values from ('2024-01-01') to ('2025-01-01');"
          + "create table public.log (line text);";

  /** The new side: the same tables, the columns of items in another order. */
  static final String NEW_SCHEMA =
      OLD_SCHEMA.replace(
          "public.items (id int primary key, name text, price numeric(10,2), created timestamptz, ratio float8, data bytea, span interval)",
          "public.items (span interval, data bytea, ratio float8, created timestamptz, price numeric(10,2), name text, id int primary key)");

  static final String ROWS =
      "insert into public.items (id, name, price, created, ratio, data, span)"
          + " select g, 'item ' || g, g * 1.25, timestamptz '2024-03-01 12:00:00+00' + g * interval '1 hour', g / 3.0,"
          + " decode(md5(g::text), 'hex'), g * interval '90 seconds' from generate_series(1, 500) g ORDER;"
          + "insert into sales.\"Orders\" select g, g % 500 + 1, g % 7 from generate_series(1, 2000) g ORDER;"
          + "insert into public.events select g, date '2024-01-01' + g from generate_series(1, 300) g ORDER;"
          + "insert into public.log select 'line ' || g from generate_series(1, 100) g ORDER;";

  static PgTestCluster oldServer;
  static PgTestCluster newServer;
  static PgVerifier verifier;

  String db;

  @BeforeAll
  static void startServers() {
    PgTestCluster.requireInstalled();
    oldServer = PgTestCluster.start("old");
    newServer = PgTestCluster.start("new");
    for (PgTestCluster pg : List.of(oldServer, newServer)) {
      pg.createRole("cutover", PASSWORD, "SUPERUSER");
      pg.createDatabase("template_shop");
    }
    oldServer.sql("template_shop", OLD_SCHEMA + ROWS.replace("ORDER", "order by g"));
    // Other time zone and date style on the new server: the checksums must not depend on them.
    newServer.sql(
        "template_shop",
        NEW_SCHEMA
            + ROWS.replace("ORDER", "order by g desc")
            + "alter database template_shop set timezone = 'Asia/Tokyo'; alter database template_shop set datestyle = 'SQL, DMY';");
    verifier =
        new PgVerifier(
            new PgSessions(
                new HostShells(new NoSshTransport(), Set.of()),
                new SecretResolver(Map.of("DB_PW", PASSWORD))));
  }

  @AfterAll
  static void stopServers() {
    if (oldServer != null) {
      oldServer.close();
    }
    if (newServer != null) {
      newServer.close();
    }
  }

  @BeforeEach
  void freshCopies() {
    // Each test gets its own copy of both databases, so the changes one makes stay its own.
    db = "shop" + DATABASES.incrementAndGet();
    oldServer.sql("postgres", "create database " + db + " template template_shop");
    newServer.sql("postgres", "create database " + db + " template template_shop");
    newServer.sql("postgres", "alter database " + db + " set timezone = 'Asia/Tokyo'");
  }

  @Test
  void equalDatabasesMatchTableByTable() {
    // given equal data, the old server reached with JDBC and the new one with psql on its host
    List<Object> beats = new CopyOnWriteArrayList<>();
    PgVerifyRequest request =
        request(PgAccess.JDBC, PgAccess.HOST_TOOLS, List.of(), List.of(), true);

    // when the step runs
    PgVerifyResult result = verifier.verify(request, beats::add);

    // then every user table matches by count and checksum, partitions counted in their parent
    assertThat(result.mismatched()).isEmpty();
    assertThat(result.tables())
        .extracting(PgTableComparison::table)
        .containsExactly(
            "public.empty", "public.events", "public.items", "public.log", "sales.Orders");
    assertThat(result.tables())
        .allSatisfy(
            t -> {
              assertThat(t.matches()).isTrue();
              assertThat(t.sourceChecksum()).isNotNull().isEqualTo(t.targetChecksum());
            });
    assertThat(result.tables())
        .extracting(PgTableComparison::sourceRows)
        .containsExactly(0L, 300L, 500L, 100L, 2000L);
    assertThat(beats).contains("public.items (3 of 5)");
  }

  @Test
  void aChangedRowWithTheSameCountIsFoundByItsChecksum() {
    // given one row changed on the new side: counts stay equal
    newServer.sql(db, "update sales.\"Orders\" set qty = qty + 1 where id = 1234");

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                verifier.verify(
                    request(PgAccess.JDBC, PgAccess.JDBC, List.of(), List.of(), true), IGNORE));

    // then it fails (retryably: a replication may still catch up), naming the table, with every
    // table in the details
    assertThat(failure.getType()).isEqualTo(PostgresActivities.VERIFY_MISMATCH);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .startsWith(
            "step verify-db: 1 of 5 tables differ between database "
                + db
                + " ("
                + db
                + " on old:"
                + oldServer.port()
                + ") and database "
                + db
                + " ("
                + db
                + " on new:"
                + newServer.port()
                + ")")
        .contains("sales.Orders (2000 rows each, contents differ)");
    PgVerifyResult details = failure.getDetails().get(PgVerifyResult.class);
    assertThat(details.mismatched()).containsExactly("sales.Orders");
    PgTableComparison orders =
        details.tables().stream()
            .filter(t -> t.table().equals("sales.Orders"))
            .findFirst()
            .orElseThrow();
    assertThat(orders.sourceRows()).isEqualTo(orders.targetRows()).isEqualTo(2000);
    assertThat(orders.sourceChecksum()).isNotEqualTo(orders.targetChecksum());
  }

  @Test
  void countsOnlyDoNotSeeAChangedRowButSeeAMissingOne() {
    // given one row changed and one deleted on the new side
    newServer.sql(
        db,
        "update public.items set name = 'renamed' where id = 7; delete from public.log where line = 'line 42'");

    // when the step compares counts only
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                verifier.verify(
                    request(PgAccess.JDBC, PgAccess.JDBC, List.of(), List.of(), false), IGNORE));

    // then only the count difference is reported, and no checksum was computed
    PgVerifyResult details = failure.getDetails().get(PgVerifyResult.class);
    assertThat(details.mismatched()).containsExactly("public.log");
    assertThat(failure.getOriginalMessage()).contains("public.log (100 rows vs 99)");
    assertThat(details.tables()).allSatisfy(t -> assertThat(t.sourceChecksum()).isNull());
  }

  @Test
  void aTableMissingOnTheTargetHasMinusOneRowsThere() {
    // given a table the new side lacks
    newServer.sql(db, "drop table public.log");

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                verifier.verify(
                    request(PgAccess.HOST_TOOLS, PgAccess.JDBC, List.of(), List.of(), true),
                    IGNORE));

    // then that table differs, with -1 rows on the target
    assertThat(failure.getType()).isEqualTo(PostgresActivities.VERIFY_MISMATCH);
    assertThat(failure.getOriginalMessage()).contains("public.log (missing on the target)");
    PgTableComparison log =
        failure.getDetails().get(PgVerifyResult.class).tables().stream()
            .filter(t -> t.table().equals("public.log"))
            .findFirst()
            .orElseThrow();
    assertThat(log.sourceRows()).isEqualTo(100);
    assertThat(log.targetRows()).isEqualTo(-1);
    assertThat(log.matches()).isFalse();
  }

  @Test
  void aTableTheRequestNamesThatTheSourceLacksIsMissingThere() {
    // given a request naming a table only the new side has
    newServer.sql(db, "create table public.audit (id int)");

    // when the step runs on that table and items
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                verifier.verify(
                    request(
                        PgAccess.JDBC,
                        PgAccess.JDBC,
                        List.of("public.items", "public.audit"),
                        List.of(),
                        true),
                    IGNORE));

    // then only those two are compared, and the one the source lacks differs
    PgVerifyResult details = failure.getDetails().get(PgVerifyResult.class);
    assertThat(details.tables())
        .extracting(PgTableComparison::table)
        .containsExactly("public.items", "public.audit");
    assertThat(details.mismatched()).containsExactly("public.audit");
    assertThat(failure.getOriginalMessage()).contains("public.audit (missing on the source)");
  }

  @Test
  void excludedTablesAreNotCompared() {
    // given differences in tables the plan leaves out (a log the new application writes to already)
    newServer.sql(
        db,
        "insert into public.log values ('new app started'); update sales.\"Orders\" set qty = 0 where id = 1");

    // when the step runs excluding them, by exact name and by pattern
    PgVerifyResult result =
        verifier.verify(
            request(
                PgAccess.JDBC, PgAccess.JDBC, List.of(), List.of("public.log", "sales.*"), true),
            IGNORE);

    // then the rest matches and the excluded tables are not in the result
    assertThat(result.mismatched()).isEmpty();
    assertThat(result.tables())
        .extracting(PgTableComparison::table)
        .containsExactly("public.empty", "public.events", "public.items");
  }

  private PgVerifyRequest request(
      PgAccess oldAccess,
      PgAccess newAccess,
      List<String> tables,
      List<String> exclude,
      boolean checksums) {
    return new PgVerifyRequest(
        "verify-db",
        oldServer.endpoint(db, "cutover", "env:DB_PW", oldAccess),
        newServer.endpoint(db, "cutover", "env:DB_PW", newAccess),
        tables,
        exclude,
        checksums);
  }
}
