package dev.cutover.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.cli.report.TerminalJson;

/** JSON for --json output, written as {@link TerminalJson} writes it. */
final class Json {
  static final ObjectMapper MAPPER = TerminalJson.MAPPER;

  private Json() {}

  /**
   * The status with how its workflow stands beside it: {@code execution} (running, completed,
   * terminated, ...) and, once it ended, {@code ended} in one line. Without a status (an ended run
   * no worker answered for) only these two.
   */
  static Object withExecution(Object status, String execution, String ended) {
    com.fasterxml.jackson.databind.node.ObjectNode node =
        status == null ? MAPPER.createObjectNode() : MAPPER.valueToTree(status);
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
