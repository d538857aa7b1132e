package dev.cutover.steps.postgres;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/**
 * The {@code pg-copy} step in the workflow. No built-in undo: the copy only writes the new
 * database, and before the point of no return the old one is still the one in use.
 */
public final class PgCopyStep implements StepHandler<PgCopySpec> {
  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, PgCopySpec s, PhaseName phase, Plan plan) {
    needs.database(s.from());
    needs.database(s.to());
    needs.databaseCopy(step.name(), s.from(), s.to());
  }

  @Override
  public String preview(PgCopySpec s, PhaseName phase, Plan plan) {
    return " "
        + s.from()
        + " -> "
        + s.to()
        + " with pg_dump | pg_restore"
        + (s.jobs() == null || s.jobs() == 1
            ? " (streamed, one transaction)"
            : ", " + s.jobs() + " jobs")
        + (s.schemas().isEmpty() ? "" : ", schemas " + String.join(" ", s.schemas()))
        + (s.excludeTables().isEmpty() ? "" : ", without " + String.join(" ", s.excludeTables()));
  }

  @Override
  public StepDone run(StepCall call, PgCopySpec spec) {
    PgCopySpec s = call.step().spec(PgCopySpec.class);
    PgCopyRequest request =
        new PgCopyRequest(
            call.step().name(),
            PgEndpoints.of(call.plan(), s.from()),
            PgEndpoints.of(call.plan(), s.to()),
            s.jobs(),
            Boolean.TRUE.equals(s.noOwner()),
            Boolean.TRUE.equals(s.noPrivileges()),
            s.role(),
            s.schemas(),
            s.excludeTables());
    PgCopyResult result = call.activities(PostgresActivities.class).copy(request);
    return StepDone.of(
        s.from()
            + " -> "
            + s.to()
            + ": "
            + result.tables()
            + " tables, "
            + PgText.bytes(result.bytesTransferred())
            + " in "
            + PgText.millis(result.durationMillis())
            + " (PostgreSQL "
            + result.sourceVersion()
            + " -> "
            + result.targetVersion()
            + ")");
  }
}
