package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON as the CLI prints it (status, list and report with --json): for scripts, ISO-8601 times and
 * durations; for the person who reads it on a terminal, indented and with no control character
 * unescaped ({@link TerminalSafeJsonEscapes}).
 */
public final class TerminalJson {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  static {
    MAPPER.getFactory().setCharacterEscapes(new TerminalSafeJsonEscapes());
  }

  private TerminalJson() {}
}
