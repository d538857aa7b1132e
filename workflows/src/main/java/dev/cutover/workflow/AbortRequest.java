package dev.cutover.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A request to abort: the one JSON argument of signal {@code abort} and update {@code
 * abortMigration}.
 *
 * @param malformed why the JSON sent was not an abort request (never sent, only set when reading
 *     one)
 */
public record AbortRequest(String reason, String by, @JsonIgnore String malformed) {
  private static final LinkedHashSet<String> FIELDS = new LinkedHashSet<>(List.of("reason", "by"));

  public AbortRequest(String reason, String by) {
    this(reason, by, null);
  }

  /** Any JSON reaches the handler: one of the wrong shape carries what is wrong with it. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static AbortRequest fromJson(JsonNode node) {
    return new AbortRequest(
        SignalJson.text(node, "reason"),
        SignalJson.text(node, "by"),
        SignalJson.problem(node, FIELDS));
  }
}
