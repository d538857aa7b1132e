package dev.cutover.plan.load;

import dev.cutover.plan.Plan;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The size of a plan as the workflow's input, measured the way `cutover start` sends it. */
public final class InputSize {
  private InputSize() {}

  /** Bytes of the serialised input payloads: what Temporal's blob size limit is checked against. */
  public static long of(Plan plan) {
    // The CLI's client uses the default data converter (TemporalConnection sets none). The input of
    // a
    // new run is MigrationInput.of(plan), written as this map is: the plan layer does not import
    // the
    // engine's record, and InputSizeTest keeps the two the same size.
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("plan", plan);
    input.put("checkpoint", null);
    input.put("historyLimit", null);
    // who starts: the client's identity, and a signed claim with --sign-with (at most ~10 KB: the
    // signature is held to 8,000 characters), far inside the headroom MAX_INPUT_BYTES keeps
    input.put("start", null);
    return DefaultDataConverter.STANDARD_INSTANCE
        .toPayloads(input)
        .map(Payloads::getSerializedSize)
        .orElse(0);
  }
}
