package dev.cutover.e2e.browser;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.workflow.ApproveRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * The one JSON argument of the {@code approve} signal, written by Jackson from the workflow's own
 * {@link ApproveRequest}: a comment with quotes or backslashes must reach the workflow as typed,
 * and the field names must be the ones the workflow reads.
 */
final class ApprovalJson {
  /**
   * Absent fields left out: an unsigned approval is what a person types in the UI, {@code {"gate",
   * "comment", "by"}}, not the signed one's runId, nonce, signedAt and signature as nulls.
   */
  private static final ObjectMapper MAPPER =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final ApproveRequest request;
  private final String text;

  private ApprovalJson(ApproveRequest request, String text) {
    this.request = request;
    this.text = text;
  }

  static ApprovalJson of(String gate, String comment, String by) {
    ApproveRequest request = new ApproveRequest(gate, comment, by);
    try {
      return new ApprovalJson(request, MAPPER.writeValueAsString(request));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + request + " as JSON", e);
    }
  }

  /** One line of JSON, e.g. {@code {"gate":"go-downtime","comment":"why","by":"who"}}. */
  String text() {
    return text;
  }

  ApproveRequest request() {
    return request;
  }

  /**
   * Whether text a page shows holds the same JSON value, whatever its layout: the UI re-indents the
   * input when the editor loses focus.
   */
  boolean sameAs(String shown) {
    try {
      JsonNode node = MAPPER.readTree(shown);
      return node != null && node.equals(MAPPER.readTree(text));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /**
   * How one field's value looks inside JSON the page renders ({@code "say \"yes\""}): the history
   * shows the signal's input re-encoded, so this is what to look for there.
   */
  static String encoded(String value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The first JSON object in text a page shows (an event's details mix labels and payloads), as one
   * line; empty if there is none.
   */
  static Optional<String> firstObject(String shown) {
    for (int i = shown.indexOf('{'); i >= 0; i = shown.indexOf('{', i + 1)) {
      try (JsonParser parser = MAPPER.getFactory().createParser(shown.substring(i))) {
        JsonNode node = MAPPER.readTree(parser);
        if (node != null && node.isObject()) {
          return Optional.of(node.toString());
        }
      } catch (IOException notJsonHere) {
        // a brace in a label: look at the next one
      }
    }
    return Optional.empty();
  }
}
