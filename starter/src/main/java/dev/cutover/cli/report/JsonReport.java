package dev.cutover.cli.report;

/** The report model as JSON, for scripts: ISO-8601 times (UTC) and durations. */
final class JsonReport {
  private JsonReport() {}

  static String render(MigrationReport report) {
    try {
      return TerminalJson.MAPPER.writeValueAsString(report) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the report as JSON: " + e.getMessage(), e);
    }
  }
}
