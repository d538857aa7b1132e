package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text from the history in the Markdown report: inert, whatever it holds. */
class MarkdownEscapeTest {

  @Test
  void linksImagesAutolinksAndHtmlDoNotForm() {
    String hostile =
        "[click](javascript:alert(1)) ![px](http://evil.example/t.png) <javascript:alert(1)> <img src=x onerror=alert(1)>"
            + " https://evil.example www.evil.example bob@evil.example [ref]: http://evil.example";

    String md = MarkdownReport.esc(hostile);

    assertThat(MarkdownSafety.liveMarkup(md)).as(md).isEmpty();
    assertThat(md)
        .startsWith(
            "\\[click\\](javascript:alert(1)) !\\[px\\](http\\://evil.example/t.png) &lt;javascript:alert(1)>")
        .contains("https\\://evil.example www\\.evil.example bob\\@evil.example");
  }

  @Test
  void emphasisTablePipesCodeAndEntitiesAreEscapedAndControlCharactersShownAsText() {
    String md = MarkdownReport.esc("*a* _b_ ~~c~~ x|y `z` &lt; \\ \033[2J\nnext");

    assertThat(md)
        .isEqualTo("\\*a\\* \\_b\\_ \\~\\~c\\~\\~ x\\|y \\`z\\` &amp;lt; \\\\ \\\\e\\[2J next");
  }

  @Test
  void whatStartsABlockIsEscapedOnlyAtTheStart() {
    assertThat(MarkdownReport.esc("# heading")).isEqualTo("\\# heading");
    assertThat(MarkdownReport.esc("> quote")).isEqualTo("\\> quote");
    assertThat(MarkdownReport.esc("- item")).isEqualTo("\\- item");
    assertThat(MarkdownReport.esc("12. item")).isEqualTo("12\\. item");
    assertThat(MarkdownReport.esc("3) item")).isEqualTo("3\\) item");
    assertThat(MarkdownReport.esc("go-live at 1.5 -> #2 (a)"))
        .isEqualTo("go-live at 1.5 -> #2 (a)");
  }

  @Test
  void aCodeSpanCannotBeClosedEarlyByItsContent() {
    assertThat(MarkdownReport.code("go-live", true)).isEqualTo("`go-live`");
    assertThat(MarkdownReport.code("a`b``c", false)).isEqualTo("```a`b``c```");
    assertThat(MarkdownReport.code("`x", false)).isEqualTo("`` `x ``");
    assertThat(MarkdownReport.code("a|b", true)).isEqualTo("`a\\|b`");
    assertThat(MarkdownReport.code("a\033[2J\nb", false)).isEqualTo("`a\\e[2J b`");
  }

  @Test
  void anOutputLineCannotCloseItsFenceNorCarryAControlCharacter() {
    assertThat(MarkdownReport.fenced("```\033]0;x\007")).isEqualTo("'''\\e]0;x\\x07");
  }
}
