package dev.cutover.fleet.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTextTest {

  @Test
  void fillingReplacesPlaceholdersAndEscapesAndMapsColumnsBackToTheTemplate() {
    // given: line 2 has a value longer than its placeholder, an escape, then a shorter value
    String text = "a: ${x}\nb: ${long} $${HOME} ${x} tail\n";
    TemplateText template = TemplateText.of(text);

    // when
    FilledTemplate filled = template.fill(Map.of("x", "1", "long", "a-much-longer-value"));

    // then
    assertThat(filled.text()).isEqualTo("a: 1\nb: a-much-longer-value ${HOME} 1 tail\n");
    assertThat(template.names()).containsExactly("x", "long");
    // "tail" is at column 26 of the template's line 2 and at column 34 of the filled line
    assertThat(filled.text().split("\n")[1].indexOf("tail") + 1).isEqualTo(34);
    assertThat(filled.templateColumn(2, 34)).isEqualTo(26);
    // inside a value: the placeholder's column
    assertThat(filled.templateColumn(2, 10)).isEqualTo(4);
    // the escape's "${" starts at filled column 24 and template column 12
    assertThat(filled.templateColumn(2, 24)).isEqualTo(12);
    // lines without placeholders, and columns before the first one, are the template's own
    assertThat(filled.templateColumn(3, 1)).isEqualTo(1);
    assertThat(filled.templateColumn(2, 2)).isEqualTo(2);
  }

  @Test
  void aDollarBraceThatOpensNoPlaceholderIsFoundWithItsPosition() {
    // given
    TemplateText template = TemplateText.of("ok: ${fine}\nbad: ${HOME} and ${unclosed\n");

    // when / then
    assertThat(template.names()).containsExactly("fine");
    assertThat(template.broken())
        .extracting(at -> at[0] + ":" + at[1])
        .containsExactly("2:6", "2:18");
  }
}
