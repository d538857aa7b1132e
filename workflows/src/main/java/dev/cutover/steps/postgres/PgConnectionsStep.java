package dev.cutover.steps.postgres;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.load.DurationText;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/** The {@code pg-connections} step in the workflow: no client left on a database. */
public final class PgConnectionsStep implements StepHandler<PgConnectionsSpec> {
  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, PgConnectionsSpec s, PhaseName phase, Plan plan) {
    needs.database(s.database());
  }

  @Override
  public String preview(PgConnectionsSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.database()
        + ": "
        + (Boolean.TRUE.equals(s.terminate())
            ? "terminate clients"
                + (s.terminateAfter() == null
                    ? ""
                    : " still there after " + DurationText.format(s.terminateAfter()))
            : "wait until no client is connected");
  }

  @Override
  public StepDone run(StepCall call, PgConnectionsSpec spec) {
    PgConnectionsSpec s = call.step().spec(PgConnectionsSpec.class);
    PgConnectionsRequest request =
        new PgConnectionsRequest(
            call.step().name(),
            PgEndpoints.of(call.plan(), s.database()),
            s.ignoreUsers(),
            s.ignoreApplications(),
            Boolean.TRUE.equals(s.terminate()),
            s.terminateAfter(),
            s.interval());
    PgConnectionsResult result =
        call.activities(PostgresActivities.class).waitForNoConnections(request);
    return StepDone.of(
        s.database()
            + ": no client left after "
            + PgText.millis(result.waitedMillis())
            + (result.terminated() == 0
                ? ""
                : "; terminated "
                    + result.terminated()
                    + ": "
                    + String.join(", ", result.terminatedClients())));
  }
}
