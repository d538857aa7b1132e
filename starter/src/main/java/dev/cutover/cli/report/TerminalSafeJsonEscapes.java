package dev.cutover.cli.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON that is safe to print on a terminal: Jackson already writes C0 controls as {@code \\u00XX};
 * this adds DEL, the C1 controls (U+0080-U+009F, a one-byte CSI among them), the bidirectional
 * overrides and isolates and the line and paragraph separators, as {@link TerminalText} does for
 * text. The JSON means the same; only the bytes on the screen change.
 */
public final class TerminalSafeJsonEscapes extends CharacterEscapes {
  private final int[] ascii;

  public TerminalSafeJsonEscapes() {
    ascii = standardAsciiEscapesForJSON();
    ascii[0x7f] = ESCAPE_STANDARD;
  }

  @Override
  public int[] getEscapeCodesForAscii() {
    return ascii;
  }

  @Override
  public SerializableString getEscapeSequence(int ch) {
    boolean control =
        (ch >= 0x80 && ch <= 0x9f)
            || (ch >= 0x202a && ch <= 0x202e)
            || (ch >= 0x2066 && ch <= 0x2069)
            || ch == 0x2028
            || ch == 0x2029;
    return control ? new SerializedString(String.format("\\u%04x", ch)) : null;
  }
}
