package dev.cutover.steps.postgres;

import java.time.Duration;
import java.util.List;

/**
 * The end of a replication, run after writes have stopped on the source. The endpoints carry secret
 * references only.
 *
 * @param step the step's name in the plan
 * @param source the publishing database
 * @param target the subscribing database
 * @param publication the publication's name on the source
 * @param subscription the subscription's name on the target
 * @param slot the slot's name on the source; {@code null} for the subscription's name
 * @param copySequences whether sequence values are copied from source to target (logical
 *     replication does not carry them)
 * @param sequences sequences to copy ({@code schema.sequence}); empty for all
 * @param pollInterval how often the positions are compared while waiting ({@code null} for 1s)
 * @param dropPublication whether the publication on the source is dropped too
 */
public record PgReplicationFinishRequest(
    String step,
    PgEndpoint source,
    PgEndpoint target,
    String publication,
    String subscription,
    String slot,
    boolean copySequences,
    List<String> sequences,
    Duration pollInterval,
    boolean dropPublication) {

  public PgReplicationFinishRequest {
    sequences = sequences == null ? List.of() : List.copyOf(sequences);
  }
}
