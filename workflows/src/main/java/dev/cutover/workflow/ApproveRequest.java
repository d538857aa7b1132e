package dev.cutover.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Approval of a gate: the one JSON argument of signal {@code approve} and update {@code
 * approveGate}.
 *
 * @param malformed why the JSON sent was not an approval (never sent, only set when reading one)
 */
public record ApproveRequest(String gate, String comment, String by, @JsonIgnore String malformed) {
  private static final LinkedHashSet<String> FIELDS =
      new LinkedHashSet<>(List.of("gate", "comment", "by"));

  public ApproveRequest(String gate, String comment, String by) {
    this(gate, comment, by, null);
  }

  /** Any JSON reaches the handler: one of the wrong shape carries what is wrong with it. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ApproveRequest fromJson(JsonNode node) {
    return new ApproveRequest(
        SignalJson.text(node, "gate"),
        SignalJson.text(node, "comment"),
        SignalJson.text(node, "by"),
        SignalJson.problem(node, FIELDS));
  }
}
