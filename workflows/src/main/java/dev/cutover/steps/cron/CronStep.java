package dev.cutover.steps.cron;

import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/** The {@code cron} step in the workflow: one move; its undo restores both hosts from what they saved. */
public final class CronStep implements StepHandler {
  @Override
  public StepDone run(StepCall call) {
    CronMoveResult result = call.activities(CronActivities.class).move(request(call));
    return new StepDone(summary(call.step(), result), result.changed() ? BuiltInUndo.cron(result) : null, null);
  }

  /** A move cut short may have installed the crontab on the new host already: restore from the saved copies. */
  @Override
  public BuiltInUndo undoIfCutShort(Step step) {
    return BuiltInUndo.cutShort(dev.cutover.plan.StepKind.CRON);
  }

  @Override
  public StepDone undo(StepCall call, BuiltInUndo undo) {
    CronMoveResult result = call.activities(CronActivities.class).restore(new CronRestoreRequest(request(call), undo.cron()));
    return StepDone.of("crontab of " + call.step().user() + " restored on " + call.step().from() + " and " + call.step().to()
        + (result.changed() ? "" : " (already so)"));
  }

  static CronMoveRequest request(StepCall call) {
    Step s = call.step();
    return new CronMoveRequest(call.migration(), s.name(), s.from(), call.plan().host(s.from()), s.to(), call.plan().host(s.to()),
        s.user(), Boolean.TRUE.equals(s.replace()), s.sudo());
  }

  static String summary(Step s, CronMoveResult r) {
    return "crontab of " + s.user() + ": " + r.oldBefore().activeEntries() + " entries moved " + s.from() + " -> " + s.to()
        + (r.changed() ? "" : " (already moved)");
  }
}
