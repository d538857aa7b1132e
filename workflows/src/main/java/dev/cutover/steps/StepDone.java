package dev.cutover.steps;

import dev.cutover.steps.rsync.RsyncResult;

/**
 * What a finished step leaves in the run's record.
 *
 * @param summary one line for status and reports, like "1,204 files sent (56 MB) in 12s"
 * @param undo how to revert it, if the kind knows; {@code null} when there is nothing to revert
 * @param sync rsync's statistics, which presync rounds add up; {@code null} for other kinds
 * @param exitCode a command's exit code, for kinds that run one; {@code null} for others
 */
public record StepDone(String summary, BuiltInUndo undo, RsyncResult sync, Integer exitCode) {
  public StepDone(String summary, BuiltInUndo undo, RsyncResult sync) {
    this(summary, undo, sync, null);
  }

  public static StepDone of(String summary) {
    return new StepDone(summary, null, null);
  }
}
