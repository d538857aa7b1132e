package dev.cutover.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.workflow.ApproveRequest;
import org.junit.jupiter.api.Test;

class ApprovalJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void quotesAndBackslashesInTheCommentSurviveTheRoundTrip() throws Exception {
    // given a comment a shell user might well type
    String comment = "said \"go\" at 10:00 \\ C:\\temp\\ ok\nsecond line, tab\there, é";

    // when it is written as the signal's JSON
    ApprovalJson json = ApprovalJson.of("go-downtime", comment, "ops \"on call\"");

    // then the workflow reads back exactly what was typed, in its own record
    assertThat(mapper.readValue(json.text(), ApproveRequest.class))
        .isEqualTo(new ApproveRequest("go-downtime", comment, "ops \"on call\""));
    assertThat(json.text()).contains("\\\"go\\\"").contains("C:\\\\temp").doesNotContain("\n");
  }

  @Test
  void fieldsAreTheOnesTheWorkflowReads() {
    assertThat(ApprovalJson.of("go-live", "why", "who").text())
        .isEqualTo("{\"gate\":\"go-live\",\"comment\":\"why\",\"by\":\"who\"}");
  }

  @Test
  void theSameValueReindentedIsTheSame() {
    // given the JSON as the UI re-indents it when the editor loses focus
    ApprovalJson json = ApprovalJson.of("go-live", "a \"b\"", "c");
    String reindented =
        "{\n  \"gate\": \"go-live\",\n  \"comment\": \"a \\\"b\\\"\",\n  \"by\": \"c\"\n}";

    // then it counts as what was entered, and a changed or broken one does not
    assertThat(json.sameAs(reindented)).isTrue();
    assertThat(json.sameAs(reindented.replace("go-live", "go-downtime"))).isFalse();
    assertThat(json.sameAs("{\"gate\": \"go-live\", \"comment\": \"a \"b\"\"")).isFalse();
  }

  @Test
  void encodedValueIsHowTheHistoryShowsIt() {
    assertThat(ApprovalJson.encoded("a \"b\" \\ c")).isEqualTo("\"a \\\"b\\\" \\\\ c\"");
  }

  @Test
  void firstObjectFindsTheAnswerAmongAnEventsLabels() {
    // given an Update Completed event's details as the page's text: labels, braces in a label,
    // then the outcome re-indented
    String shown =
        "Meta 72f0 Accepted Event ID 8 Outcome {not json} {\n  \"success\": {\n    \"payloads\": "
            + "[{\"gate\": \"go-downtime\", \"comment\": \"a {b}\"}]\n  }\n} Copy";

    // then the first JSON object is the outcome, on one line; text without one has none
    assertThat(ApprovalJson.firstObject(shown))
        .contains(
            "{\"success\":{\"payloads\":[{\"gate\":\"go-downtime\",\"comment\":\"a {b}\"}]}}");
    assertThat(ApprovalJson.firstObject("Outcome {broken")).isEmpty();
  }
}
