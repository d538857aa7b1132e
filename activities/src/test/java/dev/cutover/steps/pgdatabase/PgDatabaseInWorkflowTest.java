package dev.cutover.steps.pgdatabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.preflight.PreflightActivitiesImpl;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.steps.run.RunActivitiesImpl;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import dev.cutover.workflow.AbortRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationResult;
import dev.cutover.workflow.MigrationResults;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.MigrationWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code pg-database} step end to end: a plan run by the real workflow and the real activity
 * against a real PostgreSQL server, as runbook 000 does by hand. The history is scanned for the
 * passwords, and an abort drops what the step created.
 */
@RealTools
class PgDatabaseInWorkflowTest {
  static final String OWNER_PW = "finance-Owner-pw-3e7a";

  static PgTestCluster pg;

  @BeforeAll
  static void startServer() {
    PgTestCluster.requireInstalled();
    pg = PgTestCluster.start("new");
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void theRoleAndDatabaseAreCreatedAndNoPasswordReachesTheHistory() throws Exception {
    // given a plan that creates finance owned by its own role, then restores into it (a run step
    // stands in)
    Plan plan = plan("finance", "true");

    try (TestWorkflowEnvironment env = environment()) {
      // when it runs
      MigrationResult result = start(env, plan, "pg-database-ok");
      var history = env.getWorkflowClient().fetchHistory("pg-database-ok");
      StringBuilder decoded = new StringBuilder();
      history.getEvents().forEach(e -> decoded.append(e.toString()));

      // then the owner logs in to its database with the secret's password
      assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
      try (Connection c =
          pg.connect("finance", "financedbadministrator", OWNER_PW, "pg-database-test")) {
        assertThat(c.isValid(5)).isTrue();
      }
      // and the history holds the references, never a password
      assertThat(history.toJson(false))
          .doesNotContain(OWNER_PW)
          .doesNotContain(pg.superuserPassword());
      assertThat(decoded.toString())
          .doesNotContain(OWNER_PW)
          .doesNotContain(pg.superuserPassword())
          .contains("env:FINANCE_OWNER_PW")
          .contains("env:NEW_PG_ADMIN_PW");
    }
  }

  @Test
  void anAbortDropsTheDatabaseAndRoleTheStepCreated() throws Exception {
    // given a migration blocked after the step created timesheets and its owner
    Plan plan = plan("timesheetsystem", "false");
    try (TestWorkflowEnvironment env = environment()) {
      WorkflowClient client = env.getWorkflowClient();
      WorkflowClient.start(
          stub(client, "pg-database-abort")::run, new MigrationInput(plan, null, null));
      MigrationWorkflow workflow =
          client.newWorkflowStub(MigrationWorkflow.class, "pg-database-abort");
      for (int i = 0; i < 600 && workflow.status().state() != MigrationState.BLOCKED; i++) {
        env.sleep(Duration.ofSeconds(1));
      }
      assertThat(
              pg.query("postgres", "SELECT 1 FROM pg_database WHERE datname = 'timesheetsystem'"))
          .hasSize(1);

      // when the operator aborts
      workflow.abortMigration(new AbortRequest("restore failed", "carol"));
      MigrationResult result =
          MigrationResults.await(client.newUntypedWorkflowStub("pg-database-abort"));

      // then both are gone again
      assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
      assertThat(
              pg.query("postgres", "SELECT 1 FROM pg_database WHERE datname = 'timesheetsystem'"))
          .isEmpty();
      assertThat(
              pg.query(
                  "postgres",
                  "SELECT 1 FROM pg_roles WHERE rolname = 'financedbadministrator_timesheetsystem'"))
          .isEmpty();
    }
  }

  private static Plan plan(String database, String restoreCommand) throws Exception {
    return PlanLoader.parse(
        "pg-database.yaml",
        """
        migration: finance
        secrets: {admin-pw: env:NEW_PG_ADMIN_PW, owner-pw: env:FINANCE_OWNER_PW}
        hosts: {new: {transport: local}}
        databases:
          new-db: {host: new, name: %s, port: %d, address: 127.0.0.1, passwordSecret: admin-pw}
        phases:
          prepare:
            steps:
              - {name: make-db, kind: pg-database, database: new-db, owner: %s, passwordSecret: owner-pw}
              - {name: restore, kind: run, host: new, command: '%s', retry: {maxAttempts: 1}}
        """
            .formatted(database, pg.port(), owner(database), restoreCommand));
  }

  private static String owner(String database) {
    return "finance".equals(database)
        ? "financedbadministrator"
        : "financedbadministrator_" + database;
  }

  private static TestWorkflowEnvironment environment() {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    CutoverSearchAttributes.ALL.forEach(
        k -> env.registerSearchAttribute(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker worker = env.newWorker(CutoverNames.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(MigrationWorkflowImpl.class);
    SecretResolver secrets =
        new SecretResolver(
            Map.of("NEW_PG_ADMIN_PW", pg.superuserPassword(), "FINANCE_OWNER_PW", OWNER_PW));
    HostShells shells = new HostShells(new NoSshTransport(), Set.of());
    PgSessions sessions = new PgSessions(shells, secrets);
    worker.registerActivitiesImplementations(
        new PgDatabaseActivitiesImpl(sessions, secrets),
        new RunActivitiesImpl(secrets, shells),
        new PreflightActivitiesImpl(shells, sessions, secrets));
    env.start();
    return env;
  }

  private static MigrationWorkflow stub(WorkflowClient client, String id) {
    return client.newWorkflowStub(
        MigrationWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(CutoverNames.TASK_QUEUE)
            .build());
  }

  private static MigrationResult start(TestWorkflowEnvironment env, Plan plan, String id) {
    return stub(env.getWorkflowClient(), id).run(new MigrationInput(plan, null, null));
  }
}
