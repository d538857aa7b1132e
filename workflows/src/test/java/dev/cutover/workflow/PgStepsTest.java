package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.preflight.PreflightDatabase;
import dev.cutover.preflight.PreflightRequest;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgReplicationSetupRequest;
import dev.cutover.steps.postgres.PgReplicationTeardownRequest;
import dev.cutover.steps.postgres.PostgresActivities;
import org.junit.jupiter.api.Test;

/**
 * The database step kinds in the workflow: replication across presync rounds, the downtime finish,
 * undo on abort.
 */
class PgStepsTest extends WorkflowTestSupport {
  final PgStepsFake pg = new PgStepsFake();

  static final Plan PLAN =
      Plans.parse(
          """
      migration: shop
      secrets: {old-pw: env:OLD_PW, new-pw: file:/etc/cutover/new-pw}
      hosts:
        old: {transport: ssh, address: 10.0.0.2}
        new: {transport: ssh, address: 10.0.0.3}
      databases:
        old-db: {host: old, name: shop, user: cutover, passwordSecret: old-pw}
        new-db: {host: new, name: shop, user: cutover, passwordSecret: new-pw, access: host-tools}
      gates:
        - {name: go-downtime, before: downtime}
      phases:
        presync:
          rounds: 2
          every: 1h
          steps:
            - {name: replicate, kind: pg-replicate, from: old-db, to: new-db, tables: [public.orders]}
        downtime:
          steps:
            - {name: no-clients, kind: pg-connections, database: old-db, terminate: true}
            - {name: catch-up, kind: pg-replicate, from: old-db, to: new-db, reverse: true}
            - {name: compare, kind: pg-verify, from: old-db, to: new-db, retry: {maxAttempts: 2}}
            - {name: idle, kind: sql, database: old-db, query: "select count(*) from pg_stat_activity", expectValue: "0"}
            - {name: start-new, kind: run, host: new, command: 'true'}
      """);

  @Override
  Object[] moreActivities() {
    return new Object[] {pg};
  }

  @Test
  void replicationStartsInPresyncAndFinishesInTheDowntimeThenRunsBack() {
    // given a plan that replicates during two presync rounds and finishes in the downtime with
    // reverse
    MigrationWorkflow workflow = start(PLAN);
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));

    // when the downtime is approved and the run completes
    workflow.approveGate(new ApproveRequest("go-downtime", null, null));
    MigrationResult result = result();

    // then preflight came first, then each round set up (or found) the replication and measured its
    // lag,
    // and the downtime finished it before replicating back without an initial copy
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(pg.calls)
        .containsExactly(
            "preflight",
            "setup replicate old -> new cutover_shop_old_db_new_db",
            "lag replicate",
            "setup replicate old -> new cutover_shop_old_db_new_db",
            "lag replicate",
            "connections no-clients",
            "finish catch-up cutover_shop_old_db_new_db",
            "setup catch-up new -> old cutover_shop_old_db_new_db_rev without data",
            "verify compare",
            "sql idle");
    // and the status says how far behind the replication was in the last round
    assertThat(step(result, "replicate").outputTail())
        .contains("all tables copied")
        .contains("8.0 MiB of WAL behind");
    assertThat(step(result, "catch-up").outputTail())
        .contains("caught up")
        .contains("1 sequences copied")
        .contains("replicating back new-db -> old-db");
    assertThat(step(result, "no-clients").outputTail())
        .contains("terminated 1: shop@10.0.0.9 rails");
  }

  @Test
  void activitiesGetSecretReferencesAndPreflightKnowsWhatEachDatabaseMustAllow() {
    // given the plan
    MigrationWorkflow workflow = start(PLAN);

    // when the run reaches the gate
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));

    // then endpoints carry the password's reference and the address others reach the server at
    PgReplicationSetupRequest setup = (PgReplicationSetupRequest) pg.requests.get(0);
    assertThat(setup.source().passwordSecret()).isEqualTo("env:OLD_PW");
    assertThat(setup.source().address()).isEqualTo("10.0.0.2");
    assertThat(setup.source().access()).isEqualTo(PgAccess.JDBC);
    assertThat(setup.target().passwordSecret()).isEqualTo("file:/etc/cutover/new-pw");
    assertThat(setup.target().access()).isEqualTo(PgAccess.HOST_TOOLS);
    assertThat(setup.copySchema()).isTrue();
    assertThat(setup.tables()).containsExactly("public.orders");
    // and preflight checks old as a publisher of the replicated tables and new as subscriber (and,
    // for the reverse, the other way)
    PreflightRequest preflight = pg.preflights.get(0);
    assertThat(preflight.databases())
        .extracting(PreflightDatabase::name)
        .containsExactly("old-db", "new-db");
    PreflightDatabase old = preflight.databases().get(0);
    PreflightDatabase neu = preflight.databases().get(1);
    assertThat(old.publishes()).isTrue();
    assertThat(old.subscribes()).isTrue();
    assertThat(old.tables()).containsExactly("public.orders");
    assertThat(neu.publishes()).isTrue();
    assertThat(neu.subscribes()).isTrue();
    // and the schema copy runs pg_dump/pg_restore on new, whose tools reach both servers
    assertThat(preflight.databaseCopies())
        .singleElement()
        .satisfies(c -> assertThat(c.toolsHost()).isEqualTo("new"));
    assertThat(preflight.hosts())
        .anySatisfy(h -> assertThat(h.tools()).contains("psql", "pg_dump", "pg_restore"));
  }

  @Test
  void abortAfterTheFinishTearsDownTheReverseReplicationThenTheForwardOneOnce() {
    // given a run blocked after the finish, at the last step
    run.answer(
        r -> {
          throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
              "app does not start", CutoverErrors.COMMAND_FAILED);
        });
    MigrationWorkflow workflow = start(PLAN);
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    workflow.approveGate(new ApproveRequest("go-downtime", null, null));
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // when the operator aborts
    workflow.abortMigration(new AbortRequest("new app broken", "carol"));
    MigrationResult result = result();

    // then the reverse replication is removed (it publishes from new), then the forward one, once
    // for both presync rounds
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(pg.calls.stream().filter(c -> c.startsWith("teardown")).toList())
        .containsExactly(
            "teardown catch-up new -> old cutover_shop_old_db_new_db_rev",
            "teardown replicate old -> new cutover_shop_old_db_new_db");
    // and the teardown names the step that set the objects up, by which they are marked
    assertThat(
            pg.requests.stream()
                .filter(PgReplicationTeardownRequest.class::isInstance)
                .map(r -> ((PgReplicationTeardownRequest) r).step()))
        .containsExactly("catch-up", "replicate");
    assertThat(step(result, "replicate").state()).isEqualTo(StepState.UNDONE);
  }

  @Test
  void aLaterFinishFromNewToOldEndsTheReplicationBackByItsNames() {
    // given a plan whose finish phase ends the replication back that the downtime's finish started
    Plan plan =
        Plans.parse(
            """
        migration: shop
        hosts: {old: {}, new: {}}
        databases:
          old-db: {host: old, name: shop}
          new-db: {host: new, name: shop}
        phases:
          presync: {steps: [{name: replicate, kind: pg-replicate, from: old-db, to: new-db}]}
          downtime: {steps: [{name: catch-up, kind: pg-replicate, from: old-db, to: new-db, reverse: true}]}
          finish: {steps: [{name: end-reverse, kind: pg-replicate, from: new-db, to: old-db}]}
        """);

    // when it runs
    start(plan);
    MigrationResult result = result();

    // then the last finish removes the reverse replication under the names it was set up with
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(pg.calls).contains("finish end-reverse cutover_shop_old_db_new_db_rev");
  }

  @Test
  void aVerifyMismatchIsRetriedThenBlocksNamingTheTables() {
    // given new is missing a row on every comparison
    pg.verifyMismatches.set(10);
    MigrationWorkflow workflow = start(PLAN);
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));

    // when the downtime runs
    workflow.approveGate(new ApproveRequest("go-downtime", null, null));
    MigrationStatus blocked = awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // then the comparison was tried as often as the plan allows, and the run waits naming the table
    assertThat(pg.calls.stream().filter(c -> c.equals("verify compare")).count()).isEqualTo(2);
    assertThat(blocked.waitingFor()).isEqualTo("decision:compare");
    assertThat(step(blocked, "compare").error()).contains("public.orders");
    assertThat(step(blocked, "compare").errorType()).isEqualTo(PostgresActivities.VERIFY_MISMATCH);
  }
}
