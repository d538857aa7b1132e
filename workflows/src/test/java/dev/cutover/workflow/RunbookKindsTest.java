package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.pgdatabase.PgDatabaseRequest;
import dev.cutover.steps.reboot.RebootRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The kinds the runbooks did by hand (pg-database, reboot, cron remove) in the workflow: what their
 * activities are asked, what status says, and their undos on abort, newest first.
 */
class RunbookKindsTest extends WorkflowTestSupport {
  final RunbookKindsFake kinds = new RunbookKindsFake();
  final HostStepsFake hosts = new HostStepsFake();

  static final Plan PLAN =
      Plans.parse(
          """
      migration: finance
      secrets: {admin-pw: env:NEW_PG_ADMIN_PW, owner-pw: env:FINANCE_OWNER_PW}
      hosts:
        old: {transport: ssh, address: 10.0.0.2, sudo: true}
        new: {transport: ssh, address: 10.0.0.3, sudo: true}
      databases:
        new-finance: {host: new, name: finance, passwordSecret: admin-pw}
      phases:
        prepare:
          steps:
            - {name: finance-db, kind: pg-database, database: new-finance, owner: financedbadministrator, passwordSecret: owner-pw, encoding: UTF8}
        switch:
          steps:
            - {name: reboot-new, kind: reboot, host: new, timeout: 20m}
            - {name: old-crontabs-off, kind: cron, action: remove, host: old, user: www-data}
            - {name: start-new, kind: run, host: new, command: 'systemctl start app'}
      """);

  @Override
  Object[] moreActivities() {
    return new Object[] {kinds, hosts};
  }

  @Test
  void eachKindGetsItsRequestFromItsSpecAndSecretsOnlyByReference() {
    // given the plan
    // when it runs to the end
    start(PLAN);
    MigrationResult result = result();

    // then pg-database got the database entry and both passwords as references, never values
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    PgDatabaseRequest db = kinds.requests(PgDatabaseRequest.class).get(0);
    assertThat(db.server().database()).isEqualTo("finance");
    assertThat(db.server().passwordSecret()).isEqualTo("env:NEW_PG_ADMIN_PW");
    assertThat(db.ownerPasswordSecret()).isEqualTo("env:FINANCE_OWNER_PW");
    assertThat(db.encoding()).isEqualTo("UTF8");
    assertThat(db.migration()).matches("finance-[0-9a-f]{8}");
    // and reboot has the step's timeout less a margin to see the host back, so it can say which
    // host did not come
    RebootRequest reboot = kinds.requests(RebootRequest.class).get(0);
    assertThat(reboot.host().address()).isEqualTo("10.0.0.3");
    assertThat(reboot.upWithin()).isEqualTo(Duration.ofMinutes(20).minusSeconds(30));
    // and cron remove acted on its one host
    assertThat(hosts.calls).contains("cron-remove old-crontabs-off www-data");
    // and status tells what each did
    assertThat(step(result, "finance-db").outputTail())
        .isEqualTo(
            "database finance created (UTF8), owned by role financedbadministrator (created); password set");
    assertThat(step(result, "reboot-new").outputTail())
        .startsWith("new rebooted, back after 47s with the same host key");
    assertThat(step(result, "old-crontabs-off").outputTail())
        .isEqualTo(
            "crontab of www-data on old: 2 entries removed, saved at /root/.cutover/x/removed.crontab");
  }

  @Test
  void abortUndoesTheCronRemoveAndTheDatabaseButNotTheReboot() {
    // given the migration blocked at its last step
    run.answer(
        r -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "app does not start", CutoverErrors.COMMAND_FAILED);
        });
    MigrationWorkflow workflow = start(PLAN);
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // when the operator aborts
    workflow.abortMigration(new AbortRequest("new host not ready", "carol"));
    MigrationResult result = result();

    // then the crontab is put back, then the database and role dropped; a reboot has no undo
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(hosts.calls).contains("cron-restore-removed old-crontabs-off www-data");
    assertThat(kinds.calls)
        .endsWith("pg-database-drop finance-db.undo finance financedbadministrator");
    assertThat(step(result, "old-crontabs-off").state()).isEqualTo(StepState.UNDONE);
    assertThat(step(result, "finance-db").state()).isEqualTo(StepState.UNDONE);
    assertThat(step(result, "reboot-new").state()).isEqualTo(StepState.SUCCEEDED);
  }
}
