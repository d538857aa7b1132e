package dev.cutover.steps.service;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A service step's undo: the opposite action, from what it did. It travels in the undo stack (and
 * so in continue-as-new inputs) as {"kind": "SERVICE", "service": ...}, the shape histories hold.
 *
 * @param service what the run did; {@code null} for a step an abort cut short, undone from the
 *     host's state
 */
public record ServiceUndo(StepKind kind, ServiceResult service) implements BuiltInUndo {
  public static ServiceUndo of(ServiceResult result) {
    return new ServiceUndo(StepKind.SERVICE, result);
  }

  /** The undo of a step cut short: no result was recorded. */
  public static ServiceUndo cutShort() {
    return new ServiceUndo(StepKind.SERVICE, null);
  }
}
