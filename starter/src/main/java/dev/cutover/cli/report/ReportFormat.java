package dev.cutover.cli.report;

import java.util.Locale;

/** The formats {@code cutover report} writes. */
public enum ReportFormat {
  TEXT,
  MD,
  HTML,
  JSON;

  public String render(MigrationReport report) {
    return switch (this) {
      case TEXT -> TextReport.render(report);
      case MD -> MarkdownReport.render(report);
      case HTML -> HtmlReport.render(report);
      case JSON -> JsonReport.render(report);
    };
  }

  public String extension() {
    return this == TEXT ? "txt" : name().toLowerCase(Locale.ROOT);
  }
}
