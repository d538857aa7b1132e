package dev.cutover.steps.cron;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A cron step's undo: both hosts restored from the crontabs it saved. It travels in the undo stack (and so in continue-as-new inputs) as
 * {"kind": "CRON", "cron": ...}, the shape histories hold.
 *
 * @param cron what the run did; {@code null} for a step an abort cut short, undone from the host's state
 */
public record CronUndo(StepKind kind, CronMoveResult cron) implements BuiltInUndo {
  public static CronUndo of(CronMoveResult result) {
    return new CronUndo(StepKind.CRON, result);
  }

  /** The undo of a step cut short: no result was recorded. */
  public static CronUndo cutShort() {
    return new CronUndo(StepKind.CRON, null);
  }
}
