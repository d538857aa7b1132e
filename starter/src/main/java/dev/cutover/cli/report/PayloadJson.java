package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import java.nio.charset.StandardCharsets;

/**
 * Reads JSON payloads as trees, so the report takes the fields it knows by name and never prints a
 * payload whole. Payloads in another encoding (binary, encrypted by a codec) read as missing.
 */
final class PayloadJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PayloadJson() {}

  static JsonNode first(Payloads payloads) {
    return payloads == null || payloads.getPayloadsCount() == 0
        ? MissingNode.getInstance()
        : of(payloads.getPayloads(0));
  }

  static JsonNode of(Payload payload) {
    if (payload == null) {
      return MissingNode.getInstance();
    }
    var encoding = payload.getMetadataMap().get("encoding");
    String name = encoding == null ? "" : encoding.toString(StandardCharsets.UTF_8);
    if (!name.equals("json/plain")) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(payload.getData().toStringUtf8());
    } catch (Exception e) {
      return MissingNode.getInstance();
    }
  }

  /** A text field, or {@code null} when it is absent or JSON null. */
  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  /** The payload as text when it is a JSON string (summaries, search attribute values). */
  static String string(Payload payload) {
    JsonNode node = of(payload);
    return node.isTextual() ? node.asText() : null;
  }

  static Long number(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isNumber() ? v.asLong() : null;
  }
}
