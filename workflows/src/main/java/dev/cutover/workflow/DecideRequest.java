package dev.cutover.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A decision on a blocked step: the one JSON argument of signal {@code decide} and update {@code
 * decideStep}.
 *
 * @param malformed why the JSON sent was not a decision (never sent, only set when reading one)
 */
public record DecideRequest(
    String step, DecisionAction action, String comment, String by, @JsonIgnore String malformed) {
  private static final LinkedHashSet<String> FIELDS =
      new LinkedHashSet<>(List.of("step", "action", "comment", "by"));

  public DecideRequest(String step, DecisionAction action, String comment, String by) {
    this(step, action, comment, by, null);
  }

  /**
   * Any JSON reaches the handler: one of the wrong shape, or an unknown action, carries what is
   * wrong with it.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static DecideRequest fromJson(JsonNode node) {
    String problem = SignalJson.problem(node, FIELDS);
    String actionText = SignalJson.text(node, "action");
    DecisionAction action = null;
    if (actionText != null) {
      try {
        action = DecisionAction.parse(actionText);
      } catch (IllegalArgumentException e) {
        problem =
            problem != null
                ? problem
                : "unknown action "
                    + SignalLimits.quote(actionText)
                    + "; expected retry, skip or abort";
      }
    }
    return new DecideRequest(
        SignalJson.text(node, "step"),
        action,
        SignalJson.text(node, "comment"),
        SignalJson.text(node, "by"),
        problem);
  }
}
