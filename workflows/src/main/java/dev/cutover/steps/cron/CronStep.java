package dev.cutover.steps.cron;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/**
 * The {@code cron} step in the workflow: one move, whose undo restores both hosts from what they
 * saved; or (action remove) one remove, whose undo installs the copy saved on the host.
 */
public final class CronStep implements StepHandler<CronSpec> {
  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, CronSpec s, PhaseName phase, Plan plan) {
    s.hosts().forEach(h -> needs.tools(h, "crontab"));
  }

  @Override
  public String preview(CronSpec s, PhaseName phase, Plan plan) {
    if (s.removes()) {
      return " crontab of " + s.user() + " saved and removed";
    }
    return " crontab of " + s.user() + " " + s.from() + " -> " + s.to();
  }

  @Override
  public StepDone run(StepCall call, CronSpec spec) {
    if (spec.removes()) {
      CronRemoveResult removed =
          call.activities(CronActivities.class).remove(removeRequest(call, spec));
      String summary =
          "crontab of "
              + spec.user()
              + " on "
              + spec.host()
              + ": "
              + (removed.before().exists()
                  ? removed.before().activeEntries()
                      + " entries removed, saved at "
                      + removed.before().savedAt()
                  : "none there");
      return new StepDone(summary, removed.changed() ? CronUndo.of(removed) : null, null);
    }
    CronMoveResult result = call.activities(CronActivities.class).move(request(call));
    return new StepDone(summary(spec, result), result.changed() ? CronUndo.of(result) : null, null);
  }

  /**
   * A move or remove cut short may have changed a crontab already: restore from the saved copies.
   */
  @Override
  public BuiltInUndo undoIfCutShort(Step step, CronSpec spec) {
    return CronUndo.cutShort();
  }

  @Override
  public StepDone undo(StepCall call, CronSpec spec, BuiltInUndo undo) {
    if (spec.removes()) {
      CronRemoveResult back =
          call.activities(CronActivities.class).restoreRemoved(removeRequest(call, spec));
      return StepDone.of(
          "crontab of "
              + spec.user()
              + " on "
              + spec.host()
              + (back.changed()
                  ? " installed again (" + back.after().activeEntries() + " entries)"
                  : ": nothing to put back"));
    }
    CronMoveResult result =
        call.activities(CronActivities.class)
            .restore(new CronRestoreRequest(request(call), ((CronUndo) undo).cron()));
    return StepDone.of(
        "crontab of "
            + spec.user()
            + " restored on "
            + spec.from()
            + " and "
            + spec.to()
            + (result.changed() ? "" : " (already so)"));
  }

  static CronMoveRequest request(StepCall call) {
    CronSpec s = call.step().spec(CronSpec.class);
    return new CronMoveRequest(
        call.migration(),
        savedUnder(call),
        s.from(),
        call.plan().host(s.from()),
        s.to(),
        call.plan().host(s.to()),
        s.user(),
        Boolean.TRUE.equals(s.replace()),
        s.sudo());
  }

  static CronRemoveRequest removeRequest(StepCall call, CronSpec s) {
    return new CronRemoveRequest(
        call.migration(),
        savedUnder(call),
        s.host(),
        call.plan().host(s.host()),
        s.user(),
        s.sudo());
  }

  /**
   * The step whose directory on the hosts holds the saved copies: the step itself, also when the
   * engine runs its undo under the name STEP.undo, so the undo finds what the step saved.
   */
  static String savedUnder(StepCall call) {
    return Step.undoneStep(call.step().name());
  }

  static String summary(CronSpec s, CronMoveResult r) {
    return "crontab of "
        + s.user()
        + ": "
        + r.oldBefore().activeEntries()
        + " entries moved "
        + s.from()
        + " -> "
        + s.to()
        + (r.changed() ? "" : " (already moved)");
  }
}
