package dev.cutover.steps.postgres;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A pg-replicate step's undo: the teardown of the replication it set up (start, or the reverse one
 * after finish). It travels in the undo stack (and so in continue-as-new inputs) as {"kind":
 * "PG_REPLICATE", "pgReplication": ...}, the shape histories hold.
 *
 * @param pgReplication what the run did; {@code null} for a step an abort cut short, undone from
 *     the host's state
 */
public record PgReplicationUndo(StepKind kind, PgReplicationSetupResult pgReplication)
    implements BuiltInUndo {
  public static PgReplicationUndo of(PgReplicationSetupResult result) {
    return new PgReplicationUndo(StepKind.PG_REPLICATE, result);
  }

  /** The undo of a step cut short: no result was recorded. */
  public static PgReplicationUndo cutShort() {
    return new PgReplicationUndo(StepKind.PG_REPLICATE, null);
  }
}
