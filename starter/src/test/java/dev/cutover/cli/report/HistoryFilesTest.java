package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exported histories in the forms people have them. */
class HistoryFilesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void payloadsWrittenInShortFormReadAsTheFullForm() throws Exception {
    // given a history whose JSON payloads are written as plain values, as tools printing for people do
    Path full = Golden.RESOURCES.resolve("histories/failures-rejected-abort.json");
    JsonNode tree = MAPPER.readTree(full.toFile());
    shorten(tree, "");
    Path shortForm = dir.resolve("short.json");
    Files.writeString(shortForm, tree.toString());
    assertThat(Files.readString(shortForm)).contains("\"summary\":\"prepare / backup-db: run on old (timeout 10m)\"");

    // when both are reported
    String fromFull = ReportFormat.TEXT.render(ReportBuilder.build("x", HistoryFiles.read(List.of(full)), null));
    String fromShort = ReportFormat.TEXT.render(ReportBuilder.build("x", HistoryFiles.read(List.of(shortForm)), null));

    // then the reports are the same
    assertThat(fromShort).isEqualTo(fromFull);
  }

  /** Replaces each JSON payload by its decoded value. */
  private static void shorten(JsonNode node, String parentKey) {
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      object.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> field : fields) {
        if (field.getKey().equals("payloads") && field.getValue() instanceof ArrayNode array) {
          for (int i = 0; i < array.size(); i++) {
            array.set(i, decoded(array.get(i)));
          }
        } else if (parentKey.equals("userMetadata") || parentKey.equals("indexedFields")) {
          object.set(field.getKey(), decoded(field.getValue()));
        } else {
          shorten(field.getValue(), field.getKey());
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(n -> shorten(n, parentKey));
    }
  }

  private static JsonNode decoded(JsonNode payload) {
    try {
      return MAPPER.readTree(new String(Base64.getDecoder().decode(payload.path("data").asText()), StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
