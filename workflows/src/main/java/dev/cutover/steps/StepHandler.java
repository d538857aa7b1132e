package dev.cutover.steps;

import dev.cutover.plan.Step;

/**
 * The workflow side of one step kind: builds the activity requests from the plan's step, calls the
 * activities and says how to undo what they did. Runs in workflow code, so it must be deterministic:
 * no I/O, no clocks, no randomness.
 */
public interface StepHandler {
  /** Runs the step's activities; an {@link io.temporal.failure.ActivityFailure} propagates to the executor. */
  StepDone run(StepCall call);

  /**
   * The undo of a step an abort cut short, when it may have changed something before it stopped: a
   * built-in undo without a recorded result, which {@link #undo} must handle from the host's state.
   * {@code null} when there is nothing to revert.
   */
  default BuiltInUndo undoIfCutShort(Step step) {
    return null;
  }

  /**
   * Whether a failed step of this kind (blocked then skipped or aborted, or failed with onFailure
   * continue or abort) records its cut-short undo: kinds whose change may be made before the step
   * fails (a record set but not yet seen on every server, a site written but not reloaded) and
   * whose undo works from the host or the run's record alone.
   */
  default boolean undoWhenFailed() {
    return false;
  }

  /**
   * Whether a step of this kind in a repeating phase (presync, monitor) records its built-in undo,
   * once for all its rounds; other kinds record none there, since one undo per round would run many
   * times on abort.
   */
  default boolean undoOnceWhenRepeated() {
    return false;
  }

  /**
   * Reverts a finished step from what its run recorded (or, for a step cut short, from its plan
   * alone). Only called with an undo this handler returned.
   */
  default StepDone undo(StepCall call, BuiltInUndo undo) {
    throw new IllegalStateException("step kind " + call.step().kind().yamlName() + " has no built-in undo");
  }
}
