package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.history.v1.History;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Histories exported to JSON: {@code temporal workflow show --output json}, the SDK's {@code
 * WorkflowExecutionHistory.toJson}, and the older {@code tctl} form with short enum names. Several
 * files of one continued chain are put in run order.
 */
public final class HistoryFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Temporal refuses a run's history past 50 MiB; as JSON, with payloads in base64, an export is at
   * most a few times that. Anything larger is not an export and would only exhaust the heap.
   */
  static final long MAX_BYTES = 256L * 1024 * 1024;

  private HistoryFiles() {}

  /**
   * Reads each file; throws {@link IllegalArgumentException} naming the file that cannot be read.
   */
  public static List<History> read(List<Path> files) {
    List<History> runs = new ArrayList<>();
    for (Path file : files) {
      runs.add(read(file));
    }
    return RunChain.order(runs);
  }

  static History read(Path file) {
    String text;
    try {
      // A FIFO would block the read for good and a device (/dev/zero) would never end: files only.
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            "history file " + file + " is not a regular file (a directory, FIFO or device?)");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new IllegalArgumentException(
            "history file "
                + file
                + " holds "
                + size
                + " bytes, more than the "
                + MAX_BYTES
                + " a history export can hold (Temporal keeps at most 50 MiB of history per run)");
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("history file " + file + " does not exist");
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "history file " + file + " is not UTF-8 text, so not a JSON export");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read history file " + file + ": " + e.getMessage());
    }
    try {
      return parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "history file "
              + file
              + " is not a Temporal history in JSON"
              + " (export one with `temporal workflow show --workflow-id ID --output json`): "
              + e.getMessage());
    }
  }

  static History parse(String text) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (tree == null || !tree.path("events").isArray()) {
      throw new IllegalArgumentException("no \"events\" list");
    }
    if (tree.path("events").isEmpty()) {
      throw new IllegalArgumentException("the \"events\" list is empty");
    }
    expandShorthandPayloads(tree, "");
    String json = tree.toString();
    try {
      return WorkflowExecutionHistory.fromJson(json).getHistory();
    } catch (RuntimeException strict) {
      // A newer server or CLI may add fields this SDK does not know: read what it knows.
      try {
        History.Builder builder = History.newBuilder();
        JsonFormat.parser()
            .ignoringUnknownFields()
            .merge(
                io.temporal.internal.common.HistoryJsonUtils.historyFormatJsonToProtoJson(json),
                builder);
        return builder.build();
      } catch (Exception lenient) {
        throw new IllegalArgumentException(
            strict.getMessage() == null ? strict.toString() : strict.getMessage());
      }
    }
  }

  /**
   * Tools that print histories for people write JSON payloads as their plain value instead of
   * {@code {"metadata": ..., "data": base64}}; wrap them back so the protobuf parser takes them.
   * Payloads sit in {@code payloads} lists, and singly in {@code userMetadata} and search
   * attributes.
   */
  private static void expandShorthandPayloads(JsonNode node, String parentKey) {
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      object.fields().forEachRemaining(fields::add);
      boolean singlePayloads =
          parentKey.equals("userMetadata") || parentKey.equals("indexedFields");
      for (Map.Entry<String, JsonNode> field : fields) {
        JsonNode value = field.getValue();
        if (field.getKey().equals("payloads") && value instanceof ArrayNode array) {
          for (int i = 0; i < array.size(); i++) {
            if (!isPayload(array.get(i))) {
              array.set(i, wrap(array.get(i)));
            }
          }
        } else if (singlePayloads && !isPayload(value)) {
          object.set(field.getKey(), wrap(value));
        } else {
          expandShorthandPayloads(value, field.getKey());
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(element -> expandShorthandPayloads(element, parentKey));
    }
  }

  private static boolean isPayload(JsonNode node) {
    return node.isObject() && node.has("data") && (node.has("metadata") || node.size() == 1);
  }

  private static JsonNode wrap(JsonNode value) {
    ObjectNode payload = MAPPER.createObjectNode();
    payload.putObject("metadata").put("encoding", base64("json/plain"));
    payload.put("data", base64(value.toString()));
    return payload;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
