package dev.cutover.cli.report;

/**
 * Text from outside (a plan, a host's output, a signal, a server's error) made safe to show a
 * person: every control character comes out as a visible escape, so nothing a host prints can clear
 * the operator's screen, retitle the window, move the cursor or hide a line with a CR.
 *
 * <p>The one rule set for {@code status}, {@code preview}, the text report and error lines (the
 * Markdown and HTML reports start from it too):
 *
 * <ul>
 *   <li>ESC is {@code \e}; NUL-US and DEL are {@code \xHH} ({@code \x07} for BEL), with the usual
 *       {@code \n}, {@code \r} and {@code \t} for line feed, carriage return and tab;
 *   <li>C1 controls (U+0080-U+009F, such as the one-byte CSI U+009B), the bidirectional overrides
 *       and isolates (U+202A-U+202E, U+2066-U+2069: they reorder what is shown), the line and
 *       paragraph separators (U+2028, U+2029) and lone surrogates are <code>&#92;uXXXX</code>;
 *   <li>{@link #line} is for one-line fields (names, errors, comments, notes): a line break is
 *       {@code \n} there, so a value cannot forge a line of the view; {@link #block} is for views
 *       and output that are several lines: LF stays, CRLF becomes LF, and a tab becomes spaces to
 *       the next multiple of 8 columns, as a terminal would show it.
 * </ul>
 *
 * The escapes are for reading, not for decoding: a backslash already in the text is left alone.
 */
public final class TerminalText {
  private static final int TAB_STOP = 8;

  private TerminalText() {}

  /** One line: every control character escaped, the line feed too. Null stays null. */
  public static String line(String text) {
    return text == null ? null : escape(text, false);
  }

  /** Several lines: line feeds kept (CRLF as LF), tabs as spaces, every other control escaped. */
  public static String block(String text) {
    return text == null ? null : escape(text, true);
  }

  /** True when the text holds nothing {@link #line} would change. */
  public static boolean isPlain(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (needsEscape(text.charAt(i), text, i)) {
        return false;
      }
    }
    return true;
  }

  private static String escape(String text, boolean multiLine) {
    if (isPlain(text) && (!multiLine || text.indexOf('\t') < 0)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int column = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (multiLine && c == '\n') {
        out.append('\n');
        column = 0;
        continue;
      }
      if (multiLine && c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        continue;
      }
      if (multiLine && c == '\t') {
        int spaces = TAB_STOP - column % TAB_STOP;
        out.append(" ".repeat(spaces));
        column += spaces;
        continue;
      }
      int before = out.length();
      if (needsEscape(c, text, i)) {
        appendEscape(out, c);
      } else {
        out.append(c);
      }
      column += out.length() - before;
    }
    return out.toString();
  }

  private static boolean needsEscape(char c, String text, int i) {
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
      return true;
    }
    if ((c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x2028
        || c == 0x2029) {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }

  private static void appendEscape(StringBuilder out, char c) {
    switch (c) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      case 0x1b -> out.append("\\e");
      default -> {
        if (c < 0x80) {
          out.append(String.format("\\x%02x", (int) c));
        } else {
          out.append(String.format("\\u%04x", (int) c));
        }
      }
    }
  }
}
