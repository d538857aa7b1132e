package dev.cutover.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON for --json output: ISO dates, durations as ISO-8601 strings. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  static {
    // Output a person may read on a terminal: no control character reaches it unescaped.
    MAPPER.getFactory().setCharacterEscapes(new dev.cutover.cli.report.TerminalSafeJsonEscapes());
  }

  private Json() {}

  /**
   * The status with how its workflow stands beside it: {@code execution} (running, completed,
   * terminated, ...) and, once it ended, {@code ended} in one line. Without a status (an ended run
   * no worker answered for) only these two.
   */
  static Object withExecution(Object status, String execution, String ended) {
    com.fasterxml.jackson.databind.node.ObjectNode node = status == null ? MAPPER.createObjectNode() : MAPPER.valueToTree(status);
    node.put("execution", execution);
    if (ended != null) {
      node.put("ended", ended);
    }
    return node;
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (Exception e) {
      throw new CliFailure(ExitCode.FAILED, "cannot write JSON: " + e.getMessage());
    }
  }
}
