package dev.cutover.approval;

import java.time.Instant;

/**
 * Builds the text a claim's signature covers: one {@code name: value} line per field in a fixed
 * order, each value a JSON string (or {@code null}). Escaping keeps every value on its line, so no
 * comment can forge a second {@code gate:} line.
 */
final class ClaimText {
  private final StringBuilder text = new StringBuilder();

  ClaimText field(String name, String value) {
    text.append(name).append(": ");
    if (value == null) {
      text.append("null");
    } else {
      quote(value);
    }
    text.append('\n');
    return this;
  }

  ClaimText field(String name, Instant value) {
    return field(name, value == null ? null : value.toString());
  }

  @Override
  public String toString() {
    return text.toString();
  }

  private void quote(String value) {
    text.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> text.append("\\\"");
        case '\\' -> text.append("\\\\");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\t' -> text.append("\\t");
        case '\b' -> text.append("\\b");
        case '\f' -> text.append("\\f");
        default -> {
          // Control characters and the Unicode line separators would break a line or hide text.
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            text.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            text.append(c);
          }
        }
      }
    }
    text.append('"');
  }
}
