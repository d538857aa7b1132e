package dev.cutover.steps.pgswitch;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A pg-switch step's undo: switching back through the replication back. It travels in the undo
 * stack as {"kind": "PG_SWITCH", "pgSwitch": ...}.
 *
 * @param pgSwitch what the switch reported; {@code null} for a step an abort cut short, undone from
 *     the servers' state
 */
public record PgSwitchUndo(StepKind kind, PgSwitchResult pgSwitch) implements BuiltInUndo {
  public static PgSwitchUndo of(PgSwitchResult result) {
    return new PgSwitchUndo(StepKind.PG_SWITCH, result);
  }

  /** The undo of a step cut short: no result was recorded. */
  public static PgSwitchUndo cutShort() {
    return new PgSwitchUndo(StepKind.PG_SWITCH, null);
  }
}
