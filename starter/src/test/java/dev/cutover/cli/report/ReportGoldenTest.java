package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.history.v1.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reports rendered from committed histories match the committed expected files, in every format.
 * The histories under {@code report/histories} were recorded for reports by {@code
 * RecordReportHistories} (workflows module); those of every released workflow version, which {@code
 * ReplayTest} replays, are read from the workflows module so the report keeps reading them.
 * Regenerate the expected files with {@code -Dcutover.updateGolden=true}.
 */
class ReportGoldenTest {
  static final Path RELEASED = Path.of("../workflows/src/test/resources/histories");

  static Stream<Arguments> reportHistories() {
    return Stream.of("clean-run", "failures-rejected-abort", "notifications")
        .flatMap(
            name -> Stream.of(ReportFormat.values()).map(format -> Arguments.of(name, format)));
  }

  static Stream<Arguments> releasedHistories() throws Exception {
    try (Stream<Path> files = Files.walk(RELEASED)) {
      return files
          .filter(f -> f.toString().endsWith(".json"))
          .sorted()
          .map(f -> Arguments.of(RELEASED.relativize(f).toString().replace(".json", "")))
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("reportHistories")
  void reportOfARecordedMigrationMatchesItsGoldenFile(String name, ReportFormat format)
      throws Exception {
    // given a committed history
    List<History> runs =
        HistoryFiles.read(List.of(Golden.RESOURCES.resolve("histories").resolve(name + ".json")));

    // when it is rendered
    String rendered = format.render(ReportBuilder.build("cutover-test", runs, null));

    // then it is what was reviewed and committed
    Golden.check(rendered, Path.of(name + "." + format.extension()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releasedHistories")
  void historiesOfEveryReleasedVersionStillReport(String name) throws Exception {
    // given a history recorded by a released workflow version
    List<History> runs = HistoryFiles.read(List.of(RELEASED.resolve(name + ".json")));
    if (runs.get(0)
        .getEvents(0)
        .getWorkflowExecutionStartedEventAttributes()
        .getWorkflowType()
        .getName()
        .equals(dev.cutover.fleet.FleetNames.WORKFLOW_TYPE)) {
      // a fleet's own history is the fleet report's (FleetReportTest); this report refuses it
      assertThatThrownBy(() -> ReportBuilder.build("cutover-test", runs, null))
          .isInstanceOf(NotAMigrationException.class)
          .hasMessageContaining("'Fleet'");
      return;
    }

    // when it is reported
    MigrationReport report = ReportBuilder.build("cutover-test", runs, null);

    // then the report knows the migration and how it ended (a run recorded while it waited for an
    // operator has not), and renders as it did
    assertThat(report.migration()).isNotBlank();
    assertThat(report.outcome())
        .isIn(
            name.contains("/waiting-")
                ? List.of("running")
                : List.of("completed", "aborted", "held"));
    Golden.check(
        ReportFormat.TEXT.render(report),
        Path.of("released", name.replace('/', '-').toLowerCase(Locale.ROOT) + ".txt"));
  }
}
