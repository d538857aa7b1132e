package dev.cutover.steps.cron;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A cron step's undo: both hosts restored from the crontabs a move saved, or the crontab a remove
 * saved installed again. It travels in the undo stack (and so in continue-as-new inputs) as
 * {"kind": "CRON", "cron": ...}, the shape histories hold, with "removed" for a remove.
 *
 * @param cron what a move did; {@code null} for a remove, or a step an abort cut short (undone from
 *     the host's state)
 * @param removed what a remove did; {@code null} for a move, or a remove cut short
 */
public record CronUndo(StepKind kind, CronMoveResult cron, CronRemoveResult removed)
    implements BuiltInUndo {
  public static CronUndo of(CronMoveResult result) {
    return new CronUndo(StepKind.CRON, result, null);
  }

  public static CronUndo of(CronRemoveResult result) {
    return new CronUndo(StepKind.CRON, null, result);
  }

  /** The undo of a step cut short: no result was recorded. */
  public static CronUndo cutShort() {
    return new CronUndo(StepKind.CRON, null, null);
  }
}
