package dev.cutover.steps.put;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A put step's undo: the previous file back from its backup on the host. It travels in the undo
 * stack (and so in continue-as-new inputs) as {"kind": "PUT", "put": ...}, the shape histories
 * hold.
 *
 * @param put what the run did; {@code null} for a step an abort cut short, undone from the host's
 *     state
 */
public record PutUndo(StepKind kind, PutResult put) implements BuiltInUndo {
  public static PutUndo of(PutResult result) {
    return new PutUndo(StepKind.PUT, result);
  }

  /** The undo of a step cut short: no result was recorded. */
  public static PutUndo cutShort() {
    return new PutUndo(StepKind.PUT, null);
  }
}
