package dev.cutover.attempts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The bounded list of earlier attempts' errors, and how it is read back from heartbeat details. */
public final class AttemptErrors {
  /**
   * The field that marks heartbeat details as an {@link AttemptCarry} and a failure detail as
   * {@link EarlierAttempts}.
   */
  public static final String FIELD = "earlierAttemptErrors";

  /** Errors kept: the oldest go first (the report says which attempts it has no error for). */
  public static final int MAX_KEPT = 10;

  /**
   * Characters kept of one error: enough for the cause, small enough that ten stay far below
   * Temporal's limits.
   */
  public static final int MAX_ERROR = 500;

  private static final ObjectMapper JSON = new ObjectMapper();

  private AttemptErrors() {}

  /** {@code earlier} and then {@code next}, the oldest dropped beyond {@link #MAX_KEPT}. */
  static List<AttemptError> plus(List<AttemptError> earlier, AttemptError next) {
    List<AttemptError> all = new ArrayList<>(earlier);
    all.add(next);
    return List.copyOf(all.subList(Math.max(0, all.size() - MAX_KEPT), all.size()));
  }

  /** The error of a failure, as kept. */
  static AttemptError of(int attempt, Throwable failure) {
    String type =
        failure instanceof ApplicationFailure app ? app.getType() : failure.getClass().getName();
    String message =
        failure instanceof ApplicationFailure app ? app.getOriginalMessage() : failure.getMessage();
    return new AttemptError(attempt, type, clip(message == null ? "" : message));
  }

  static String clip(String text) {
    return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
  }

  /** Heartbeat details in JSON/plain as JSON, to carry them on unread; {@code null} for others. */
  static JsonNode json(Optional<Payloads> details) {
    if (details == null || details.isEmpty() || details.get().getPayloadsCount() == 0) {
      return null;
    }
    Payload payload = details.get().getPayloads(0);
    var encoding = payload.getMetadataMap().get("encoding");
    if (encoding == null || !encoding.toString(StandardCharsets.UTF_8).equals("json/plain")) {
      return null;
    }
    try {
      return JSON.readTree(payload.getData().toStringUtf8());
    } catch (java.io.IOException notJson) {
      return null;
    }
  }

  /**
   * What an earlier attempt left in the heartbeat details: its carried errors and the activity's
   * own details, or {@code null} when the details are not an {@link AttemptCarry} (the first
   * attempt, or earlier attempts that all ended without an error of their own).
   */
  static Carried carried(Optional<Payloads> details) {
    JsonNode node = json(details);
    try {
      if (node == null || !node.isObject() || !node.path(FIELD).isArray() || !node.has("details")) {
        return null;
      }
      List<AttemptError> errors = new ArrayList<>();
      for (JsonNode e : node.path(FIELD)) {
        errors.add(
            new AttemptError(
                e.path("attempt").asInt(),
                e.path("type").isTextual() ? e.path("type").asText() : null,
                e.path("error").asText("")));
      }
      JsonNode inner = node.get("details");
      Payload innerPayload =
          inner.isNull()
              ? null
              : details.get().getPayloads(0).toBuilder()
                  .setData(
                      com.google.protobuf.ByteString.copyFromUtf8(JSON.writeValueAsString(inner)))
                  .build();
      return new Carried(
          List.copyOf(errors.subList(Math.max(0, errors.size() - MAX_KEPT), errors.size())),
          innerPayload,
          inner.isNull() ? null : inner);
    } catch (java.io.IOException notJson) {
      return null;
    }
  }

  /**
   * What an earlier attempt carried: the errors, and the activity's own details as a payload and as
   * JSON ({@code null}: none).
   */
  record Carried(List<AttemptError> errors, Payload details, JsonNode json) {}
}
