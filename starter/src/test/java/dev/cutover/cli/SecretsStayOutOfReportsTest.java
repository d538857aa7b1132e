package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cli.report.MigrationReport;
import dev.cutover.cli.report.ReportBuilder;
import dev.cutover.cli.report.ReportFormat;
import dev.cutover.secrets.SecretCorpus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: what the operator reads of a run, {@code status}, {@code status --json} and the report
 * in every format, holds no form of any secret of the plan. The run is the activities' {@link
 * SecretCorpus}: real steps on the local host that print the secrets every way found leaking.
 */
class SecretsStayOutOfReportsTest {

  @Test
  void statusAndEveryReportFormatHoldNoFormOfAnySecret(@TempDir Path dir) throws Exception {
    // given the corpus migration, run to its end through the worker's masking
    SecretCorpus.Outcome run = SecretCorpus.run(dir);

    // when the status is shown as the CLI shows it, and the report is built from the history
    String statusJson = Json.write(run.status());
    String statusText = StatusView.render(SecretCorpus.MIGRATION, run.status());
    MigrationReport report =
        ReportBuilder.build(SecretCorpus.MIGRATION, List.of(run.history().getHistory()), null);

    // then none of them holds any form of any secret, though they show the masked output
    assertThat(SecretCorpus.hits(statusJson)).as("status --json").isEmpty();
    assertThat(SecretCorpus.hits(statusText)).as("status").isEmpty();
    assertThat(statusJson).contains("***");
    for (ReportFormat format : ReportFormat.values()) {
      String rendered = format.render(report);
      assertThat(rendered).as(format.name()).contains("failing-check");
      assertThat(SecretCorpus.hits(rendered)).as(format.name()).isEmpty();
    }
  }
}
