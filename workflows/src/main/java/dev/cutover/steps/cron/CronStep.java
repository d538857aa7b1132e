package dev.cutover.steps.cron;

import dev.cutover.steps.PreflightNeeds;
import dev.cutover.plan.Plan;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/** The {@code cron} step in the workflow: one move; its undo restores both hosts from what they saved. */
public final class CronStep implements StepHandler<CronSpec> {
  @Override
  public void preflightNeeds(PreflightNeeds needs, Step step, CronSpec s, PhaseName phase, Plan plan) {
    needs.tools(s.from(), "crontab");
    needs.tools(s.to(), "crontab");
  }

  @Override
  public String preview(CronSpec s, PhaseName phase, Plan plan) {
    return " crontab of " + s.user() + " " + s.from() + " -> " + s.to();
  }

  @Override
  public StepDone run(StepCall call, CronSpec spec) {
    CronMoveResult result = call.activities(CronActivities.class).move(request(call));
    return new StepDone(summary(spec, result), result.changed() ? CronUndo.of(result) : null, null);
  }

  /** A move cut short may have installed the crontab on the new host already: restore from the saved copies. */
  @Override
  public BuiltInUndo undoIfCutShort(Step step, CronSpec spec) {
    return CronUndo.cutShort();
  }

  @Override
  public StepDone undo(StepCall call, CronSpec spec, BuiltInUndo undo) {
    CronMoveResult result = call.activities(CronActivities.class).restore(new CronRestoreRequest(request(call), ((CronUndo) undo).cron()));
    return StepDone.of("crontab of " + call.step().spec(CronSpec.class).user() + " restored on " + call.step().spec(CronSpec.class).from() + " and " + call.step().spec(CronSpec.class).to()
        + (result.changed() ? "" : " (already so)"));
  }

  static CronMoveRequest request(StepCall call) {
    CronSpec s = call.step().spec(CronSpec.class);
    return new CronMoveRequest(call.migration(), call.step().name(), s.from(), call.plan().host(s.from()), s.to(), call.plan().host(s.to()),
        s.user(), Boolean.TRUE.equals(s.replace()), s.sudo());
  }

  static String summary(CronSpec s, CronMoveResult r) {
    return "crontab of " + s.user() + ": " + r.oldBefore().activeEntries() + " entries moved " + s.from() + " -> " + s.to()
        + (r.changed() ? "" : " (already moved)");
  }
}
