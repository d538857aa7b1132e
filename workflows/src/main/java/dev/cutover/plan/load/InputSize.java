package dev.cutover.plan.load;

import dev.cutover.plan.Plan;
import dev.cutover.workflow.MigrationInput;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DefaultDataConverter;

/** The size of a plan as the workflow's input, measured the way `cutover start` sends it. */
public final class InputSize {
  private InputSize() {}

  /** Bytes of the serialised input payloads: what Temporal's blob size limit is checked against. */
  public static long of(Plan plan) {
    // The CLI's client uses the default data converter (TemporalConnection sets none).
    return DefaultDataConverter.STANDARD_INSTANCE.toPayloads(MigrationInput.of(plan))
        .map(Payloads::getSerializedSize)
        .orElse(0);
  }
}
