package dev.cutover.steps.maintenance;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A maintenance step's undo: the page switched back. It travels in the undo stack (and so in
 * continue-as-new inputs) as {"kind": "MAINTENANCE", "maintenance": ...}, the shape histories hold.
 *
 * @param maintenance what the run did; {@code null} for a step an abort cut short, undone from the
 *     host's state
 */
public record MaintenanceUndo(StepKind kind, MaintenanceResult maintenance) implements BuiltInUndo {
  public static MaintenanceUndo of(MaintenanceResult result) {
    return new MaintenanceUndo(StepKind.MAINTENANCE, result);
  }

  /** The undo of a step cut short: no result was recorded. */
  public static MaintenanceUndo cutShort() {
    return new MaintenanceUndo(StepKind.MAINTENANCE, null);
  }
}
