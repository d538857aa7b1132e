package dev.cutover.steps.pgdatabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.preflight.Preflight;
import dev.cutover.preflight.PreflightDatabase;
import dev.cutover.preflight.PreflightPlan;
import org.junit.jupiter.api.Test;

/**
 * Preflight reads what a pg-database step creates from its spec: the database is checked before the
 * step that uses it, not at the start.
 */
class PgDatabasePreflightTest {

  @Test
  void theDatabaseTheStepCreatesIsCheckedJustBeforeTheStepThatUsesIt() throws InvalidPlanException {
    // given a plan that creates finance (runbook 000) and then checks it with an sql step
    Plan plan =
        PlanLoader.parse(
            "pg-database.yaml",
            """
        migration: finance
        secrets: {admin-pw: env:ADMIN_PW, owner-pw: env:OWNER_PW}
        hosts: {new: {transport: ssh, address: 192.0.2.20}}
        databases:
          new-finance: {host: new, name: finance, passwordSecret: admin-pw}
        phases:
          prepare:
            steps:
              - {name: finance-db, kind: pg-database, database: new-finance, owner: financedbadministrator, passwordSecret: owner-pw}
              - {name: finance-empty, kind: sql, database: new-finance, query: "select 1", expectRows: 1}
        """);

    // when preflight works out what to check and when
    PreflightPlan checks = Preflight.plan(plan);

    // then the start does not ask for the database, the sql step's own check does
    assertThat(checks.atStart().databases())
        .extracting(PreflightDatabase::name)
        .doesNotContain("new-finance");
    assertThat(checks.beforeStep()).containsKey("finance-empty");
    assertThat(checks.beforeStep().get("finance-empty").databases())
        .extracting(PreflightDatabase::name)
        .containsExactly("new-finance");
  }
}
