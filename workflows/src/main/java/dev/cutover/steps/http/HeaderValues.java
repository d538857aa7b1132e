package dev.cutover.steps.http;

/**
 * What an HTTP header value may hold. A CR or LF would end the header (HttpClient sends them as
 * spaces instead, silently changing the value), and other control characters are not allowed in a
 * field value; a horizontal tab is (RFC 9110, 5.5).
 */
public final class HeaderValues {
  private HeaderValues() {}

  /** The index of the first character a header value cannot hold, or -1 if there is none. */
  public static int firstForbidden(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return i;
      }
    }
    return -1;
  }

  /** How a forbidden character is named in a message: its escape, never the value around it. */
  public static String describe(char c) {
    return switch (c) {
      case '\r' -> "a carriage return (\\r)";
      case '\n' -> "a line feed (\\n)";
      case 0 -> "a NUL byte";
      default -> String.format("the control character U+%04X", (int) c);
    };
  }
}
