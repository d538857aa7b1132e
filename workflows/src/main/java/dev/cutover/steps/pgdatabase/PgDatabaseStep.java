package dev.cutover.steps.pgdatabase;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.Created;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import dev.cutover.steps.postgres.PgEndpoints;
import java.util.List;

/**
 * The {@code pg-database} step in the workflow: one activity creates (or accepts) the role and the
 * database. Its undo needs no result: the server marks what the step created, so the undo of a step
 * that finished, failed or was cut short drops exactly that.
 */
public final class PgDatabaseStep implements StepHandler<PgDatabaseSpec> {
  @Override
  public String preview(PgDatabaseSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.database()
        + " owned by "
        + s.owner()
        + (s.passwordSecret() == null ? "" : ", password from " + s.passwordSecret());
  }

  @Override
  public StepDone run(StepCall call, PgDatabaseSpec spec) {
    PgDatabaseResult r = call.activities(PgDatabaseActivities.class).create(request(call, spec));
    String summary =
        "database "
            + r.database()
            + (r.createdDatabase() ? " created" : " was there")
            + " ("
            + r.encoding()
            + "), owned by role "
            + r.owner()
            + (r.createdRole() ? " (created)" : "")
            + (r.passwordSet() ? "; password set" : "");
    return new StepDone(
        summary, r.createdRole() || r.createdDatabase() ? PgDatabaseUndo.of(r) : null, null);
  }

  /** A step cut short may have created the role, or both: the marks on the server say. */
  @Override
  public BuiltInUndo undoIfCutShort(Step step, PgDatabaseSpec spec) {
    return PgDatabaseUndo.cutShort();
  }

  /**
   * The database does not exist before the step: a later step's need for it is checked just before
   * that step.
   */
  @Override
  public List<Created> creates(PgDatabaseSpec spec) {
    return spec.database() == null ? List.of() : List.of(Created.database(spec.database()));
  }

  @Override
  public boolean undoWhenFailed() {
    return true;
  }

  @Override
  public StepDone undo(StepCall call, PgDatabaseSpec spec, BuiltInUndo undo) {
    PgDatabaseDropResult r = call.activities(PgDatabaseActivities.class).drop(request(call, spec));
    String db = spec.database() == null ? "" : call.plan().databases().get(spec.database()).name();
    return StepDone.of(
        (r.droppedDatabase()
                ? "database " + db + " dropped"
                : "database " + db + " not created by this run, kept")
            + (r.droppedRole()
                ? ", role " + spec.owner() + " dropped"
                : r.keptRole() != null ? "; " + r.keptRole() : ""));
  }

  static PgDatabaseRequest request(StepCall call, PgDatabaseSpec spec) {
    // Secret names become references; the worker resolves them, so no password enters the history.
    String passwordRef =
        spec.passwordSecret() == null ? null : call.plan().secrets().get(spec.passwordSecret());
    return new PgDatabaseRequest(
        call.migration(),
        call.step().name(),
        PgEndpoints.of(call.plan(), spec.database()),
        spec.owner(),
        passwordRef,
        spec.encoding(),
        spec.locale());
  }
}
