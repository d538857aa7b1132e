package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run with gates under approval policies (v7) is reported with each gate's approvals: the count
 * it needed, each approver with key fingerprint or marked unverified, in every format, and each
 * approval's answer (counted, or why not) among the operator actions.
 */
class VerifiedApprovalsReportTest {
  private static final Path HISTORY =
      ReportGoldenTest.RELEASED.resolve("v7/verified-approvals.json");

  @Test
  void gatesShowTheirApprovalsWithKeysInEveryFormat() {
    // given the history of a run whose 2-of-3 gate bob and carol signed, and whose other gate took
    // an unsigned approval
    MigrationReport report =
        ReportBuilder.build("cutover-test", List.of(HistoryFiles.read(HISTORY)), null);

    // then the model has the approvals per gate
    GateReport go = report.gates().get(0);
    assertThat(go.state()).isEqualTo("approved");
    assertThat(go.required()).isEqualTo(2);
    assertThat(go.approvals())
        .hasSize(2)
        .allMatch(a -> a.matches("(bob|carol)@example\\.com \\(SHA256:[A-Za-z0-9+/]{43}\\)"));
    assertThat(report.gates().get(1).approvals())
        .containsExactly("unverified (claimed identity dave)");
    // and the operator actions say which approvals counted and why the others did not
    assertThat(report.actions())
        .extracting(OperatorAction::answer)
        .anySatisfy(a -> assertThat(a).isEqualTo("counted 1 of 2 approvals"))
        .anySatisfy(a -> assertThat(a).contains("already approved gate 'go'"))
        .anySatisfy(a -> assertThat(a).contains("needs signed approvals"));

    // and every format shows them
    for (ReportFormat format : ReportFormat.values()) {
      // (Markdown escapes the @ of a principal)
      assertThat(format.render(report).replace("\\@", "@"))
          .as(format.name())
          .contains("2 of 2 approvals")
          .contains("bob@example.com (SHA256:")
          .contains("unverified (claimed identity dave)");
    }
  }
}
