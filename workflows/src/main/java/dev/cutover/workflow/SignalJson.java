package dev.cutover.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a signal's or an update's one JSON argument by hand, so an argument of the wrong shape (an
 * array, a number, a field of the wrong type) still reaches the handler as a request that says what
 * is wrong, and is noted in status instead of only failing to decode in the worker's log.
 */
final class SignalJson {
  private SignalJson() {}

  /**
   * Why {@code node} is not an object whose {@code fields} are text, or {@code null}. Read as
   * Jackson read these records before: other fields are ignored and a number or a boolean is taken
   * as its text, so every argument accepted then is accepted now.
   */
  static String problem(JsonNode node, Set<String> fields) {
    if (node == null || !node.isObject()) {
      return "expected a JSON object like " + example(fields) + ", got " + shape(node);
    }
    for (String name : fields) {
      JsonNode value = node.get(name);
      if (value != null && value.isContainerNode()) {
        return "field '" + name + "' must be text, got " + shape(value);
      }
    }
    return null;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node == null || !node.isObject() ? null : node.get(field);
    return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
  }

  private static String example(Set<String> fields) {
    StringBuilder b = new StringBuilder("{");
    for (String f : fields) {
      b.append(b.length() > 1 ? ", " : "").append('"').append(f).append("\": \"...\"");
    }
    return b.append('}').toString();
  }

  private static String shape(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "nothing";
    }
    String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
    String text = node.toString();
    return (node.isArray() ? "an array of " + node.size() : "a " + type)
        + " "
        + SignalLimits.quote(text);
  }
}
