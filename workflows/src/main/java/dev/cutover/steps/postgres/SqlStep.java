package dev.cutover.steps.postgres;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/** The {@code sql} step in the workflow: a query whose result must meet the plan's expectation. */
public final class SqlStep implements StepHandler<SqlSpec> {
  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, SqlSpec s, PhaseName phase, Plan plan) {
    needs.database(s.database());
  }

  @Override
  public String preview(SqlSpec s, PhaseName phase, Plan plan) {
    return " on "
        + s.database()
        + ": "
        + s.query().strip()
        + (s.expectRows() == null ? "" : " (expect " + s.expectRows() + " rows)")
        + (s.expectValue() == null ? "" : " (expect " + s.expectValue() + ")");
  }

  @Override
  public StepDone run(StepCall call, SqlSpec spec) {
    SqlSpec s = call.step().spec(SqlSpec.class);
    SqlCheckRequest request =
        new SqlCheckRequest(
            call.step().name(),
            PgEndpoints.of(call.plan(), s.database()),
            s.query(),
            s.expectRows(),
            s.expectValue());
    SqlCheckResult result = call.activities(PostgresActivities.class).sqlCheck(request);
    String first =
        result.rows().isEmpty() || result.rows().get(0).isEmpty()
            ? null
            : result.rows().get(0).get(0);
    return StepDone.of(
        s.database()
            + ": "
            + result.rowCount()
            + (result.rowCount() == 1 ? " row" : " rows")
            + (first == null ? "" : ", first value " + first));
  }
}
