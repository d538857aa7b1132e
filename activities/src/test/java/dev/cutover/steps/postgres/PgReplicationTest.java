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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Logical replication between two real PostgreSQL servers, and a third with wal_level=replica. */
@RealTools
class PgReplicationTest {
  static PgTestCluster old;
  static PgTestCluster fresh;
  static PgTestCluster replicaOnly;
  static final Map<String, String> env = new HashMap<>();
  static PgSessions sessions;
  static PgReplication replication;
  static int databases;

  @BeforeAll
  static void start() {
    PgTestCluster.requireInstalled();
    old = PgTestCluster.start("old");
    fresh = PgTestCluster.start("new");
    replicaOnly = PgTestCluster.start("replica-only", List.of("wal_level=replica"));
    env.put("OLD_PW", old.superuserPassword());
    env.put("NEW_PW", fresh.superuserPassword());
    env.put("REPLICA_PW", replicaOnly.superuserPassword());
    sessions =
        new PgSessions(new HostShells(new NoSshTransport(), Set.of()), new SecretResolver(env));
    replication = new PgReplication(sessions, new PgCopier(sessions));
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
  void
      aRowWrittenDuringReplicationArrivesAndTheFinishCarriesSequencesAndDropsSubscriptionAndSlot() {
    // given a shop database on old replicated to an empty one on new, schema copied by the step
    String db = shop(old);
    fresh.createDatabase(db);
    PgReplicationSetupResult setup =
        replication.setup(setupRequest(old, db, List.of(), true, true), p -> {});

    // when old takes another order during the replication, then the finish runs
    old.sql(db, "insert into items(name) values ('written during replication')");
    List<PgReplicationLagResult> beats = new ArrayList<>();
    PgReplicationFinishResult finish = replication.finish(finishRequest(db, false), beats::add);

    // then new has every row, its sequence continues after old's, and nothing of the replication is
    // left on either side
    assertThat(setup.publicationCreated()).isTrue();
    assertThat(setup.subscriptionCreated()).isTrue();
    assertThat(setup.schemaCopied()).isTrue();
    assertThat(setup.tables()).containsExactly("other.o", "public.items", "public.logs");
    assertThat(
            fresh.query(db, "select count(*) from items where name = 'written during replication'"))
        .containsExactly(List.of("1"));
    assertThat(fresh.query(db, "select count(*) from items"))
        .isEqualTo(old.query(db, "select count(*) from items"));
    assertThat(finish.sequences())
        .extracting(PgSequenceValue::sequence)
        .contains("public.items_id_seq");
    assertThat(finish.sequences())
        .filteredOn(s -> s.sequence().equals("public.items_id_seq"))
        .singleElement()
        .satisfies(s -> assertThat(s.sourceValue()).isEqualTo(101).isEqualTo(s.targetValue()));
    assertThat(fresh.query(db, "select nextval('items_id_seq')")).containsExactly(List.of("102"));
    assertThat(finish.subscriptionDropped()).isTrue();
    assertThat(finish.slotDropped()).isTrue();
    assertThat(finish.publicationDropped()).isFalse();
    assertThat(PgLsn.parse(finish.finalLsn())).isPositive();
    assertThat(beats).anySatisfy(b -> assertThat(b.sourceLsn()).isNotNull());
    assertThat(fresh.query(db, "select count(*) from pg_subscription"))
        .containsExactly(List.of("0"));
    assertThat(old.query("postgres", "select count(*) from pg_replication_slots"))
        .containsExactly(List.of("0"));
  }

  @Test
  void aSecondSetupReusesWhatTheFirstCreatedAndTheTeardownRemovesIt() {
    // given a replication set up once (as a crashed attempt would have left it)
    String db = shop(old);
    fresh.createDatabase(db);
    PgReplicationSetupRequest request = setupRequest(old, db, List.of(), true, true);
    replication.setup(request, p -> {});

    // when the setup runs again
    PgReplicationSetupResult again = replication.setup(request, p -> {});

    // then it reused everything, still reports it as its own, and the teardown removes all of it
    assertThat(again.publicationCreated()).isTrue();
    assertThat(again.subscriptionCreated()).isTrue();
    assertThat(again.schemaCopied()).isFalse();
    assertThat(old.query(db, "select count(*) from pg_publication")).containsExactly(List.of("1"));
    assertThat(fresh.query(db, "select count(*) from pg_subscription"))
        .containsExactly(List.of("1"));
    PgReplicationLagResult lag =
        replication.lag(
            new PgReplicationLagRequest(
                "replicate-db", request.source(), request.target(), request.subscription(), null));
    assertThat(lag.sourceLsn()).isNotNull();
    assertThat(lag.lagBytes()).isNotNegative();

    PgReplicationTeardownResult teardown =
        replication.teardown(
            new PgReplicationTeardownRequest(
                "replicate-db", request.source(), request.target(), again));
    assertThat(teardown).isEqualTo(new PgReplicationTeardownResult(true, true, true));
    assertThat(old.query(db, "select count(*) from pg_publication")).containsExactly(List.of("0"));
    assertThat(
            old.query(
                db,
                "select count(*) from pg_replication_slots where slot_name like "
                    + PgQuote.literal("%" + db + "%")))
        .containsExactly(List.of("0"));
    assertThat(fresh.query(db, "select count(*) from pg_subscription"))
        .containsExactly(List.of("0"));

    // and a second teardown finds nothing to drop
    assertThat(
            replication.teardown(
                new PgReplicationTeardownRequest(
                    "replicate-db", request.source(), request.target(), again)))
        .isEqualTo(new PgReplicationTeardownResult(false, false, false));
  }

  @Test
  void theTeardownLeavesAPublicationTheSetupFound() {
    // given a publication someone made on old before the step
    String db = shop(old);
    fresh.createDatabase(db);
    old.sql(db, "create publication cutover_" + db + " for all tables");
    PgReplicationSetupResult setup =
        replication.setup(setupRequest(old, db, List.of(), true, true), p -> {});

    // when the replication is torn down
    PgReplicationTeardownResult teardown =
        replication.teardown(
            new PgReplicationTeardownRequest(
                "replicate-db",
                setupRequest(old, db, List.of(), true, true).source(),
                setupRequest(old, db, List.of(), true, true).target(),
                setup));

    // then the subscription and slot are gone, the publication stays
    assertThat(setup.publicationCreated()).isFalse();
    assertThat(teardown).isEqualTo(new PgReplicationTeardownResult(true, true, false));
    assertThat(old.query(db, "select pubname from pg_publication"))
        .containsExactly(List.of("cutover_" + db));
  }

  @Test
  void aReverseReplicationThroughPsqlCarriesNewWritesBackWithoutCopyingAgain() {
    // given old replicated to new and finished, every statement through psql on the hosts
    // (host-tools)
    String db = shop(old);
    fresh.createDatabase(db);
    PgEndpoint oldDb = old.endpoint(db, "postgres", "env:OLD_PW", PgAccess.HOST_TOOLS);
    PgEndpoint newDb = fresh.endpoint(db, "postgres", "env:NEW_PW", PgAccess.HOST_TOOLS);
    String forward = "cutover_" + db;
    replication.setup(
        new PgReplicationSetupRequest(
            "replicate-db", oldDb, newDb, forward, forward, null, List.of(), true, true),
        p -> {});
    replication.finish(
        new PgReplicationFinishRequest(
            "catch-up",
            oldDb,
            newDb,
            forward,
            forward,
            null,
            true,
            List.of(),
            Duration.ofMillis(100),
            false),
        p -> {});

    // when the reverse replication starts without copying data, new takes an order, and the reverse
    // is finished
    String reverse = forward + "_rev";
    PgReplicationSetupResult back =
        replication.setup(
            new PgReplicationSetupRequest(
                "catch-up", newDb, oldDb, reverse, reverse, null, List.of(), true, false),
            p -> {});
    fresh.sql(db, "insert into items(name) values ('ordered after go-live')");
    PgReplicationFinishResult end =
        replication.finish(
            new PgReplicationFinishRequest(
                "rollback",
                newDb,
                oldDb,
                reverse,
                reverse,
                null,
                true,
                List.of(),
                Duration.ofMillis(100),
                true),
            p -> {});

    // then old kept its rows (no schema copy over them, no second copy) and has the new one, with
    // its sequence after it
    assertThat(back.schemaCopied()).isFalse();
    assertThat(back.subscriptionCreated()).isTrue();
    assertThat(old.query(db, "select count(*), count(distinct id) from items"))
        .containsExactly(List.of("101", "101"));
    assertThat(old.query(db, "select id from items where name = 'ordered after go-live'"))
        .containsExactly(List.of("101"));
    assertThat(old.query(db, "select nextval('items_id_seq')")).containsExactly(List.of("102"));
    assertThat(end.slotDropped()).isTrue();
    assertThat(end.publicationDropped()).isTrue();
    assertThat(fresh.query(db, "select count(*) from pg_replication_slots"))
        .containsExactly(List.of("0"));
    assertThat(old.query(db, "select count(*) from pg_subscription")).containsExactly(List.of("0"));
  }

  @Test
  void aSourceWithoutLogicalWalIsRefusedAndNothingIsLeftBehind() {
    // given a source whose wal_level is replica
    String db = shop(replicaOnly);
    fresh.createDatabase(db);

    // when the setup runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> replication.setup(setupRequest(replicaOnly, db, List.of(), true, true), p -> {}));

    // then it stops without retries, says what to change, and created nothing on either side
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DB_PREREQUISITE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("wal_level = replica")
        .contains("ALTER SYSTEM SET wal_level = logical");
    assertThat(replicaOnly.query(db, "select count(*) from pg_publication"))
        .containsExactly(List.of("0"));
    assertThat(replicaOnly.query(db, "select count(*) from pg_replication_slots"))
        .containsExactly(List.of("0"));
    assertThat(fresh.query(db, "select count(*) from pg_subscription"))
        .containsExactly(List.of("0"));
    assertThat(fresh.query(db, "select count(*) from pg_tables where schemaname = 'public'"))
        .containsExactly(List.of("0"));
  }

  @Test
  void aTableWithoutPrimaryKeyIsNamed() {
    // given a table without a primary key among the ones to publish
    String db = shop(old);
    old.sql(
        db,
        "create table audit(at timestamptz, line text); create table keyed(id int primary key);"
            + "create table nothing_yet(id int); alter table nothing_yet replica identity full");
    fresh.createDatabase(db);

    // when the setup runs for every table
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> replication.setup(setupRequest(old, db, List.of(), true, true), p -> {}));

    // then it names that table and what to do (not the others), and created nothing
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DB_PREREQUISITE);
    assertThat(failure.getOriginalMessage())
        .contains("table public.audit on database source (" + db + " on old:")
        .contains("REPLICA IDENTITY FULL")
        .doesNotContain("public.keyed")
        .doesNotContain("nothing_yet");
    assertThat(old.query(db, "select count(*) from pg_publication")).containsExactly(List.of("0"));
    assertThat(fresh.query(db, "select count(*) from pg_tables where schemaname = 'public'"))
        .containsExactly(List.of("0"));
  }

  @Test
  void aFinishRunTwiceStillCopiesSequencesAndDropsASlotLeftBehind() {
    // given a replication of listed tables whose subscription is already gone but whose slot was
    // left (a crash mid-finish)
    String db = shop(old);
    fresh.createDatabase(db);
    PgReplicationSetupRequest request =
        setupRequest(old, db, List.of("public.items", "other.o"), true, true);
    replication.setup(request, p -> {});
    replication.finish(finishRequest(db, false), p -> {});
    replication.setup(request, p -> {});
    fresh.sql(
        db,
        "alter subscription cutover_"
            + db
            + " disable; alter subscription cutover_"
            + db
            + " set (slot_name = none);"
            + " drop subscription cutover_"
            + db);
    old.sql(db, "select setval('items_id_seq', 5000)");

    // when the finish runs (again)
    PgReplicationFinishResult finish = replication.finish(finishRequest(db, true), p -> {});

    // then it copies the sequences, drops the slot and, as asked, the publication
    assertThat(finish.subscriptionDropped()).isFalse();
    assertThat(finish.slotDropped()).isTrue();
    assertThat(finish.publicationDropped()).isTrue();
    assertThat(fresh.query(db, "select nextval('items_id_seq')")).containsExactly(List.of("5001"));
    assertThat(old.query(db, "select count(*) from pg_replication_slots"))
        .containsExactly(List.of("0"));

    // and once more, nothing is left to drop
    PgReplicationFinishResult third = replication.finish(finishRequest(db, true), p -> {});
    assertThat(third.slotDropped()).isFalse();
    assertThat(third.publicationDropped()).isFalse();
  }

  @Test
  void aSetupThatFailsAfterCreatingDropsWhatItCreatedAndNeverShowsTheConnectionString() {
    // given a target that refuses the subscription with an error quoting the statement
    String db = shop(old);
    fresh.createDatabase(db);
    PgSessions refusing =
        new PgSessions(new HostShells(new NoSshTransport(), Set.of()), new SecretResolver(env)) {
          @Override
          public PgSession open(String name, PgEndpoint endpoint, Runnable beat) {
            PgSession real = super.open(name, endpoint, beat);
            return !name.equals("target") ? real : new RefusingSession(real);
          }
        };
    PgReplication failing = new PgReplication(refusing, new PgCopier(refusing));

    // when the setup runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> failing.setup(setupRequest(old, db, List.of(), true, true), p -> {}));

    // then it fails for good without the source's password, and the publication and slot it made
    // are gone
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SQL_ERROR);
    assertThat(failure.getOriginalMessage())
        .contains("refused:")
        .doesNotContain(old.superuserPassword())
        .contains("***");
    assertThat(old.query(db, "select count(*) from pg_publication")).containsExactly(List.of("0"));
    assertThat(old.query(db, "select count(*) from pg_replication_slots"))
        .containsExactly(List.of("0"));
  }

  @Test
  void aSubscriptionTheTargetRejectsLeavesNoPasswordInItsServerLog() {
    // given a publication of a table the target lacks, and a slot for it
    String db = shop(old);
    fresh.createDatabase(db);
    old.sql(
        db,
        "create table only_on_old(id int primary key); create publication leak_"
            + db
            + " for table only_on_old");
    old.sql(db, "select pg_create_logical_replication_slot('leak_" + db + "', 'pgoutput')");
    String conninfo =
        PgConnInfo.forSubscription(
            old.endpoint(db, "postgres", "env:OLD_PW", PgAccess.JDBC), old.superuserPassword());

    // when the subscription is created and the target rejects it
    ApplicationFailure failure;
    try (PgSession target =
        sessions.open("target", fresh.endpoint(db, "postgres", "env:NEW_PW", PgAccess.JDBC))) {
      failure =
          catchThrowableOfType(
              ApplicationFailure.class,
              () ->
                  PgSubscriptions.create(
                      target,
                      "leak_" + db,
                      conninfo,
                      old.superuserPassword(),
                      "leak_" + db,
                      "leak_" + db,
                      true,
                      "cutover:test"));
    } finally {
      old.sql(db, "select pg_drop_replication_slot('leak_" + db + "')");
    }

    // then neither the failure nor the server's log holds the password (by default a failed
    // statement is logged)
    assertThat(failure.getOriginalMessage())
        .contains("only_on_old")
        .doesNotContain(old.superuserPassword());
    assertThat(fresh.logTail()).contains("only_on_old").doesNotContain(old.superuserPassword());
  }

  // --- helpers ----------------------------------------------------------------------------------

  /**
   * A target session that refuses CREATE SUBSCRIPTION, quoting the statement as a careless server
   * might.
   */
  record RefusingSession(PgSession real) implements PgSession {
    public String name() {
      return real.name();
    }

    public PgEndpoint endpoint() {
      return real.endpoint();
    }

    public PgRows query(String sql, int keepRows) {
      return real.query(sql, keepRows);
    }

    public void execute(String sql) {
      if (sql.contains("CREATE SUBSCRIPTION")) {
        throw ApplicationFailure.newNonRetryableFailure(
            describe() + ": refused: " + sql, CutoverErrors.SQL_ERROR);
      }
      real.execute(sql);
    }

    public int serverVersionNum() {
      return real.serverVersionNum();
    }

    public void close() {
      real.close();
    }
  }

  static String shop(PgTestCluster cluster) {
    String db = "shop" + (++databases);
    cluster.createDatabase(db);
    cluster.sql(
        db,
        "create table items(id serial primary key, name text not null);"
            + "insert into items(name) select 'item ' || g from generate_series(1, 100) g;"
            + "create table logs(id bigserial primary key, line text);"
            + "create schema other; create table other.o(id int primary key); insert into other.o values (1), (2)");
    return db;
  }

  static PgReplicationSetupRequest setupRequest(
      PgTestCluster source, String db, List<String> tables, boolean copySchema, boolean copyData) {
    String pw = source == old ? "env:OLD_PW" : "env:REPLICA_PW";
    return new PgReplicationSetupRequest(
        "replicate-db",
        source.endpoint(db, "postgres", pw, PgAccess.JDBC),
        fresh.endpoint(db, "postgres", "env:NEW_PW", PgAccess.JDBC),
        "cutover_" + db,
        "cutover_" + db,
        null,
        tables,
        copySchema,
        copyData);
  }

  static PgReplicationFinishRequest finishRequest(String db, boolean dropPublication) {
    return new PgReplicationFinishRequest(
        "catch-up",
        old.endpoint(db, "postgres", "env:OLD_PW", PgAccess.JDBC),
        fresh.endpoint(db, "postgres", "env:NEW_PW", PgAccess.JDBC),
        "cutover_" + db,
        "cutover_" + db,
        null,
        true,
        List.of(),
        Duration.ofMillis(100),
        dropPublication);
  }
}
