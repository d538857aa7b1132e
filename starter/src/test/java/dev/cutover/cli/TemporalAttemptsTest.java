package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cli.report.MigrationReport;
import dev.cutover.cli.report.StepExecution;
import dev.cutover.cli.report.StepReport;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.StepState;
import dev.cutover.workflow.StepStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the history's attempts become TRY: the parts that need no Temporal server. */
class TemporalAttemptsTest {
  private static final Instant T = Instant.parse("2026-12-06T20:00:00Z");

  @Test
  void countsTheTriesOfTheLastRoundOnlyAndNeverAnUndo() {
    // given a presync step that took 3 attempts in round 1, then 1 + 2 (a decided retry) in round
    // 2, then was undone
    StepReport sync =
        step(
            "sync",
            List.of(
                exec(false, 1, 1, 3, T),
                exec(false, 2, 1, 1, T),
                exec(false, 2, 2, 2, T),
                exec(true, 2, 1, 4, T)));
    // and a step whose activity ended before any attempt was recorded as started (it counts once),
    // and one scheduled but not started yet, of which the server said nothing
    StepReport cut = step("cut", List.of(exec(false, 0, 1, 0, T)));
    StepReport next = step("next", List.of(exec(false, 0, 1, 0, null)));

    // when they are counted
    Map<String, Integer> counts = TemporalAttempts.counts(report(List.of(sync, cut, next)));

    // then the round the status shows counts its tries' attempts, and a step with nothing known is
    // left out
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("sync", 3, "cut", 1));
  }

  @Test
  void theHistorysCountReplacesTheWorkflowsAndAStepTheHistoryDoesNotHoldKeepsItsOwn() {
    // given a status whose step 'flaky' the workflow thinks ran once, and a step of an earlier run
    MigrationStatus status = status(List.of(stepStatus("flaky", 1), stepStatus("earlier", 2)));

    // when the history's counts are laid over it
    MigrationStatus shown = TemporalAttempts.overlay(status, Map.of("flaky", 2));

    // then TRY is the history's where it has one, the workflow's elsewhere
    assertThat(shown.steps())
        .extracting(StepStatus::name, StepStatus::attempts)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("flaky", 2),
            org.assertj.core.groups.Tuple.tuple("earlier", 2));
    assertThat(StatusView.render("cutover-x", shown)).containsPattern("flaky +run +succeeded +2 ");
  }

  private static StepExecution exec(
      boolean undo, int round, int tryOfStep, int attempts, Instant endedAt) {
    return new StepExecution(
        undo,
        round,
        tryOfStep,
        "RunCommand",
        T,
        endedAt == null ? null : T,
        endedAt,
        attempts,
        endedAt == null ? "scheduled" : "succeeded",
        null,
        null,
        null,
        null,
        null,
        null,
        List.of());
  }

  private static StepReport step(String name, List<StepExecution> executions) {
    return new StepReport("presync", name, "run", "old", null, "succeeded", executions, null, null);
  }

  private static MigrationReport report(List<StepReport> steps) {
    return new MigrationReport(
        "cutover-x",
        "x",
        null,
        "running",
        null,
        T,
        null,
        null,
        List.of(),
        List.of(),
        steps,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        null,
        List.of(),
        0,
        List.of(),
        List.of());
  }

  private static StepStatus stepStatus(String name, int attempts) {
    return new StepStatus(
        "prepare",
        name,
        "run",
        "old",
        null,
        StepState.SUCCEEDED,
        attempts,
        0,
        T,
        T,
        0,
        null,
        null,
        null,
        null,
        null);
  }

  private static MigrationStatus status(List<StepStatus> steps) {
    return new MigrationStatus(
        "x",
        MigrationState.RUNNING,
        "prepare",
        null,
        null,
        null,
        null,
        steps,
        List.of(),
        null,
        List.of(),
        0,
        0,
        List.of(),
        List.of(),
        null,
        false,
        List.of());
  }
}
