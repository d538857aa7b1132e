package dev.cutover.steps.postgres;

import java.util.List;

/**
 * The end of a replication.
 *
 * @param finalLsn the source position the target had applied when replication stopped
 * @param waitedMillis how long the catch-up wait took
 * @param sequences the sequence values copied
 * @param subscriptionDropped whether the subscription was dropped (false: already gone)
 * @param slotDropped whether the slot was dropped (false: already gone)
 * @param publicationDropped whether the publication was dropped
 */
public record PgReplicationFinishResult(
    String finalLsn,
    long waitedMillis,
    List<PgSequenceValue> sequences,
    boolean subscriptionDropped,
    boolean slotDropped,
    boolean publicationDropped) {

  public PgReplicationFinishResult {
    sequences = sequences == null ? List.of() : List.copyOf(sequences);
  }
}
