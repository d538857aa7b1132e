package dev.cutover.steps.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook body within Slack's limits. */
class SlackMessageTest {

  @Test
  void manyFieldsAreSplitIntoSectionsOfTenAndLongTextIsCut() throws Exception {
    // given twelve fields and a title longer than a header may be
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 10; i < 22; i++) {
      fields.put("field" + i, "value " + i);
    }
    NotifyRequest request =
        new NotifyRequest(
            "tell-team",
            "mig-shop",
            "k",
            NotifyEvent.STEP,
            "x".repeat(200),
            "",
            fields,
            "env:HOOK",
            null);

    // when the body is built
    JsonNode json = new ObjectMapper().readTree(SlackMessage.body(request));

    // then the header fits, there is no empty text section, the fields come in two sections, and
    // the context names the step
    JsonNode blocks = json.get("blocks");
    assertThat(blocks.get(0).get("text").get("text").asText()).hasSize(150).endsWith("…");
    assertThat(blocks.findValues("fields")).extracting(JsonNode::size).containsExactly(10, 2);
    assertThat(blocks.get(blocks.size() - 1).get("type").asText()).isEqualTo("context");
    assertThat(blocks.get(blocks.size() - 1).get("elements").get(0).get("text").asText())
        .isEqualTo("cutover · migration `mig-shop` · step `tell-team` · STEP");
    assertThat(blocks).hasSize(4);
  }
}
