package dev.cutover.steps.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pg-copy between two real PostgreSQL servers, old and new, with the tools on this machine. */
@RealTools
class PgCopierTest {
  static PgTestCluster old;
  static PgTestCluster fresh;
  static PgCopier copier;
  static Map<String, String> env = new HashMap<>();
  static int databases;

  @BeforeAll
  static void start() {
    PgTestCluster.requireInstalled();
    old = PgTestCluster.start("old");
    fresh = PgTestCluster.start("new");
    env.put("OLD_PW", old.superuserPassword());
    env.put("NEW_PW", fresh.superuserPassword());
    env.put("WRONG_PW", "not-the-Password-42");
    copier =
        new PgCopier(
            new PgSessions(
                new HostShells(new NoSshTransport(), Set.of()), new SecretResolver(env)));
  }

  @AfterAll
  static void stop() {
    if (old != null) {
      old.close();
    }
    if (fresh != null) {
      fresh.close();
    }
  }

  @Test
  void oneJobCopiesEveryTableAndReportsWhatItDid() {
    // given a shop database on old with two schemas, and an empty one on new
    String db = shop();
    fresh.createDatabase(db);
    List<PgCopyProgress> beats = new ArrayList<>();

    // when it is copied with one job
    PgCopyResult result =
        copier.copy(request(db, 1, false, false, null, PgAccess.JDBC), beats::add);

    // then new holds the same rows, and the result and heartbeats say how much was copied
    assertSameContent(db);
    assertThat(result.tables()).isEqualTo(3);
    assertThat(result.bytesTransferred()).isGreaterThan(10_000);
    assertThat(result.sourceVersion()).matches("\\d+\\.\\d+").isEqualTo(result.targetVersion());
    assertThat(beats).isNotEmpty();
    assertThat(beats.get(beats.size() - 1).tablesDone()).isEqualTo(3);
    assertThat(fresh.query(db, "select nextval('public.items_id_seq')"))
        .containsExactly(List.of("2001"));
  }

  @Test
  void aRetriedParallelCopyIntoATargetWithDataEndsEqualToTheSource() throws IOException {
    // given new already holds an earlier, different copy (a first attempt, then writes on both
    // sides)
    String db = shop();
    fresh.createDatabase(db);
    copier.copy(request(db, 2, false, false, null, PgAccess.JDBC), p -> {});
    old.sql(
        db,
        "insert into items(name) select 'later' || g from generate_series(1, 50) g; delete from other.o where id = 1");
    fresh.sql(db, "update items set name = 'changed on new'; create table public.stray(id int)");

    // when the copy runs again with two jobs
    PgCopyResult result = copier.copy(request(db, 2, false, false, null, PgAccess.JDBC), p -> {});

    // then new equals old again in every table of the dump (a table only new has is left alone:
    // --clean drops what the dump holds), and no temporary directory is left behind
    fresh.sql(db, "drop table public.stray");
    assertSameContent(db);
    assertThat(result.tables()).isEqualTo(3);
    assertThat(result.bytesTransferred()).isPositive();
    try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(tmp.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("cutover-pgcopy-copy-db-" + db));
    }
  }

  @Test
  void withoutOwnersTheRestoreRunsAsTheGivenRoleWhichOwnsEverything() {
    // given tables on old owned by a role new does not have, and a plain role on new the copy
    // should hand them to
    String db = shop();
    old.createRole("shop_owner_" + db, null, null);
    old.sql(
        db, "alter table items owner to shop_owner_" + db + "; grant select on items to public");
    fresh.createDatabase(db);
    fresh.createRole("app_" + db, null, null);
    fresh.sql(
        db,
        "grant create on schema public to app_"
            + db
            + "; grant create on database "
            + db
            + " to app_"
            + db);

    // when it is copied without owners and privileges, as that role, with the tools on new's host
    copier.copy(request(db, 1, true, true, "app_" + db, PgAccess.HOST_TOOLS), p -> {});

    // then the tables belong to the role and carry no grants from old
    assertThat(fresh.query(db, "select tableowner from pg_tables where tablename = 'items'"))
        .containsExactly(List.of("app_" + db));
    assertThat(fresh.query(db, "select relacl is null from pg_class where relname = 'items'"))
        .containsExactly(List.of("t"));
    assertSameContent(db);
  }

  @Test
  void anOwnerMissingOnTheTargetStopsTheCopyAndLeavesTheTargetAsItWas() {
    // given a table on old owned by a role that new lacks, and new with a table of its own
    String db = shop();
    old.createRole("gone_" + db, null, null);
    old.sql(db, "alter table items owner to gone_" + db);
    fresh.createDatabase(db);
    fresh.sql(db, "create table keep_me(id int); insert into keep_me values (7)");

    // when it is copied keeping owners
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> copier.copy(request(db, 1, false, false, null, PgAccess.JDBC), p -> {}));

    // then it stops without retries, says what to do, and new was not touched (one transaction)
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DB_PREREQUISITE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step copy-db: pg_restore on host worker into target (" + db + " on new:")
        .contains("role \"gone_" + db + "\" does not exist")
        .contains("noOwner");
    assertThat(fresh.query(db, "select count(*) from pg_tables where schemaname = 'public'"))
        .containsExactly(List.of("1"));
  }

  @Test
  void aWrongPasswordStopsAtOnceWithoutShowingIt() {
    // given the source's secret holds a wrong password
    String db = shop();
    fresh.createDatabase(db);
    PgCopyRequest request = request(db, 1, false, false, null, PgAccess.JDBC);
    PgEndpoint wrong =
        new PgEndpoint(
            "old",
            request.source().host(),
            old.port(),
            db,
            "postgres",
            "env:WRONG_PW",
            PgAccess.JDBC,
            "127.0.0.1");

    // when the copy runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                copier.copy(
                    new PgCopyRequest(
                        "copy-db",
                        wrong,
                        request.target(),
                        1,
                        false,
                        false,
                        null,
                        List.of(),
                        List.of()),
                    p -> {}));

    // then it is an authentication failure naming the database, never the password
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DB_AUTH_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(db + " on old:")
        .doesNotContain(env.get("WRONG_PW"));
  }

  @Test
  void missingOrOldToolsAreNamedWithTheirHost(@TempDir Path dir) throws IOException {
    // given a tools machine without pg_dump and pg_restore, and one whose pg_dump is older than the
    // servers
    String db = shop();
    fresh.createDatabase(db);
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path oldTools = Files.createDirectories(dir.resolve("old-tools"));
    Path fake = oldTools.resolve("pg_dump");
    Files.writeString(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));

    // when the copy runs with each
    ApplicationFailure missing =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                copierWithPath(empty.toString())
                    .copy(request(db, 1, false, false, null, PgAccess.JDBC), p -> {}));
    ApplicationFailure tooOld =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                copierWithPath(oldTools + ":" + System.getenv("PATH"))
                    .copy(request(db, 1, false, false, null, PgAccess.JDBC), p -> {}));

    // then both stop without retries, naming the host and what to install
    assertThat(missing.getType()).isEqualTo(CutoverErrors.MISSING_TOOL);
    assertThat(missing.isNonRetryable()).isTrue();
    assertThat(missing.getOriginalMessage())
        .contains("pg_dump is not installed on host worker")
        .contains("pg_restore is not installed");
    assertThat(tooOld.getType()).isEqualTo(CutoverErrors.MISSING_TOOL);
    assertThat(tooOld.getOriginalMessage())
        .contains("pg_dump 9.6.24 on host worker is older than the source server")
        .contains("postgresql-client-");
  }

  // --- helpers ----------------------------------------------------------------------------------

  /**
   * A fresh shop database on old: 2000 items with a sequence, an empty log table, another schema.
   */
  static String shop() {
    String db = "shop" + (++databases);
    old.createDatabase(db);
    old.sql(
        db,
        "create table items(id serial primary key, name text not null, price numeric(10,2));"
            + "insert into items(name, price) select 'item ' || g, g / 7.0 from generate_series(1, 2000) g;"
            + "create table logs(at timestamptz default now(), line text);"
            + "create schema other; create table other.o(id int primary key, data jsonb);"
            + "insert into other.o values (1, '{\"a\": 1}'), (2, null)");
    return db;
  }

  static PgCopyRequest request(
      String db,
      int jobs,
      boolean noOwner,
      boolean noPrivileges,
      String role,
      PgAccess targetAccess) {
    return new PgCopyRequest(
        "copy-db",
        old.endpoint(db, "postgres", "env:OLD_PW", PgAccess.JDBC),
        fresh.endpoint(db, "postgres", "env:NEW_PW", targetAccess),
        jobs,
        noOwner,
        noPrivileges,
        role,
        List.of(),
        List.of());
  }

  /** Every user table's rows, compared by an order-independent digest. */
  static void assertSameContent(String db) {
    String digest =
        "select n.nspname || '.' || c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') order by 1";
    List<List<String>> tables = old.query(db, digest);
    assertThat(fresh.query(db, digest)).isEqualTo(tables);
    for (List<String> t : tables) {
      String rows =
          "select count(*), coalesce(md5(string_agg(x::text, ',' order by x::text)), '') from "
              + t.get(0)
              + " x";
      assertThat(fresh.query(db, rows)).as(t.get(0)).isEqualTo(old.query(db, rows));
    }
  }

  /**
   * A copier whose tools machine sees only {@code path}: a host without the tools, or with old
   * ones.
   */
  static PgCopier copierWithPath(String path) {
    return new PgCopier(new PgSessions(new PathLimitedShells(path), new SecretResolver(env)));
  }
}
