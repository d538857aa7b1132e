package dev.cutover.steps.postgres;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/**
 * The {@code pg-verify} step in the workflow; a mismatch fails in the activity, naming the tables.
 */
public final class PgVerifyStep implements StepHandler<PgVerifySpec> {
  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, PgVerifySpec s, PhaseName phase, Plan plan) {
    needs.database(s.from());
    needs.database(s.to());
  }

  @Override
  public String preview(PgVerifySpec s, PhaseName phase, Plan plan) {
    return " "
        + s.from()
        + " = "
        + s.to()
        + ": row counts"
        + (s.checksumsOrDefault() ? " and checksums" : "");
  }

  @Override
  public StepDone run(StepCall call, PgVerifySpec spec) {
    PgVerifySpec s = call.step().spec(PgVerifySpec.class);
    boolean checksums = !Boolean.FALSE.equals(s.checksums());
    PgVerifyRequest request =
        new PgVerifyRequest(
            call.step().name(),
            PgEndpoints.of(call.plan(), s.from()),
            PgEndpoints.of(call.plan(), s.to()),
            s.tables(),
            s.excludeTables(),
            checksums);
    PgVerifyResult result = call.activities(PostgresActivities.class).verify(request);
    long rows = result.tables().stream().mapToLong(PgTableComparison::sourceRows).sum();
    return StepDone.of(
        result.tables().size()
            + " tables equal ("
            + rows
            + " rows"
            + (checksums ? ", contents by checksum" : ", counts only")
            + ") in "
            + PgText.millis(result.durationMillis()));
  }
}
