package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one rule by which every view shows text from outside. */
class TerminalTextTest {

  @Test
  void escapeSequencesThatClearTheScreenAndRetitleTheWindowAreShownAsText() {
    String shown = TerminalText.line("a\033[2J\033]0;title\007b");

    assertThat(shown).isEqualTo("a\\e[2J\\e]0;title\\x07b");
  }

  @Test
  void c1ControlsDelAndBidiOverridesAreEscapedAndOrdinaryUnicodeIsNot() {
    String shown =
        TerminalText.line(
            "\u009b2J \u0085 \u007f \u202eevil\u202c \u2066x\u2069 \u2028 Grüße — 日本 🙂");

    assertThat(shown)
        .isEqualTo(
            "\\u009b2J \\u0085 \\x7f \\u202eevil\\u202c \\u2066x\\u2069 \\u2028 Grüße — 日本 🙂");
  }

  @Test
  void aLoneSurrogateIsEscapedAndAPairIsKept() {
    assertThat(TerminalText.line("a\ud83db")).isEqualTo("a\\ud83db");
    assertThat(TerminalText.line("b\ude42")).isEqualTo("b\\ude42");
    assertThat(TerminalText.line("\ud83d\ude42")).isEqualTo("\ud83d\ude42");
  }

  @Test
  void oneLineFieldsEscapeLineBreaksCarriageReturnsAndTabs() {
    String shown = TerminalText.line("ok\nState:  completed\r\tfake");

    assertThat(shown).isEqualTo("ok\\nState:  completed\\r\\tfake").doesNotContain("\n");
  }

  @Test
  void blocksKeepLineFeedsTurnCrlfIntoLfExpandTabsAndEscapeALoneCarriageReturn() {
    String shown = TerminalText.block("a\tb\r\nxyzabcdefgh\tc\nsecret\rhidden\n");

    assertThat(shown).isEqualTo("a       b\nxyzabcdefgh     c\nsecret\\rhidden\n");
  }

  @Test
  void plainTextIsReturnedAsItIsAndNullStaysNull() {
    String plain = "prepare  check-disk  df -h /srv | grep '\\x' `x` [a](b)";

    assertThat(TerminalText.line(plain)).isSameAs(plain);
    assertThat(TerminalText.block(plain)).isSameAs(plain);
    assertThat(TerminalText.line(null)).isNull();
  }
}
