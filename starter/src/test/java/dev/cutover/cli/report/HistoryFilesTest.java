package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    // given a history whose JSON payloads are written as plain values, as tools printing for people
    // do
    Path full = Golden.RESOURCES.resolve("histories/failures-rejected-abort.json");
    JsonNode tree = MAPPER.readTree(full.toFile());
    shorten(tree, "");
    Path shortForm = dir.resolve("short.json");
    Files.writeString(shortForm, tree.toString());
    assertThat(Files.readString(shortForm))
        .contains("\"summary\":\"prepare / backup-db: run on old (timeout 10m)\"");

    // when both are reported
    String fromFull =
        ReportFormat.TEXT.render(ReportBuilder.build("x", HistoryFiles.read(List.of(full)), null));
    String fromShort =
        ReportFormat.TEXT.render(
            ReportBuilder.build("x", HistoryFiles.read(List.of(shortForm)), null));

    // then the reports are the same
    assertThat(fromShort).isEqualTo(fromFull);
  }

  @Test
  void aDeviceOrAFifoIsRefusedAtOnceInsteadOfReadForever() throws Exception {
    // given a device that never ends and a FIFO no one writes to
    Path fifo = dir.resolve("history.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    // when they are read as histories, then each is refused by what it is, without reading it
    for (Path file : List.of(Path.of("/dev/zero"), fifo, dir)) {
      assertThatThrownBy(() -> HistoryFiles.read(List.of(file)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "history file " + file + " is not a regular file (a directory, FIFO or device?)");
    }
  }

  @Test
  void aFileThatIsNotUtf8IsRefusedSayingSo() throws Exception {
    Path file =
        Files.write(dir.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xe9, '"', '}'});

    assertThatThrownBy(() -> HistoryFiles.read(List.of(file)))
        .hasMessage("history file " + file + " is not UTF-8 text, so not a JSON export");
  }

  @Test
  void aFileLargerThanAnyExportIsRefusedWithItsSizeAndTheLimit() throws Exception {
    // given a sparse file just over the limit (no disk used)
    Path file = dir.resolve("huge.json");
    try (var channel =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {'}'}), HistoryFiles.MAX_BYTES);
    }

    assertThatThrownBy(() -> HistoryFiles.read(List.of(file)))
        .hasMessageStartingWith(
            "history file "
                + file
                + " holds "
                + (HistoryFiles.MAX_BYTES + 1)
                + " bytes, more than the "
                + HistoryFiles.MAX_BYTES);
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
      return MAPPER.readTree(
          new String(
              Base64.getDecoder().decode(payload.path("data").asText()), StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
