package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The report model as JSON, for scripts: ISO-8601 times (UTC) and durations. */
final class JsonReport {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  static {
    // Output a person may read on a terminal: no control character reaches it unescaped.
    MAPPER.getFactory().setCharacterEscapes(new dev.cutover.cli.report.TerminalSafeJsonEscapes());
  }

  private JsonReport() {}

  static String render(MigrationReport report) {
    try {
      return MAPPER.writeValueAsString(report) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the report as JSON: " + e.getMessage(), e);
    }
  }
}
