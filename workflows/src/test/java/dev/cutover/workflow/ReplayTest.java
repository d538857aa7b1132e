package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.fleet.FleetWorkflowImpl;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Migrations live for weeks while the worker is upgraded: every history recorded from a released
 * version must replay against today's code without a non-determinism error. The v5 {@code
 * waiting-*} histories are runs of the released worker on a real server, open at a gate and at a
 * decision, as a worker upgrade finds them ({@code CUTOVER_UPGRADE_RECORD=DIR e2e/upgrade.sh}
 * records them). The v8 {@code fleet-*} histories are a fleet's and one of its members' ({@code
 * RecordFleetHistories}), replayed with both workflows registered.
 */
class ReplayTest {
  static final Path HISTORIES = Path.of("src/test/resources/histories");

  static Stream<Path> histories() throws IOException {
    try (Stream<Path> files = Files.walk(HISTORIES)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  /**
   * The first replay in a JVM loads the workflow's classes (Jackson, the plan model) on the
   * workflow thread; on a loaded machine that can pass the SDK's 1s deadlock detector. A warm-up
   * replay (tried again while the detector cuts it short) keeps that cost out of the replays that
   * count.
   */
  @BeforeAll
  static void warmUp() throws IOException {
    // A warm-up cut short by the detector has loaded only part of the classes: go on, a few times
    // at most.
    String first = Files.readString(histories().findFirst().orElseThrow());
    for (int i = 0; i < 3; i++) {
      try {
        WorkflowReplayer.replayWorkflowExecution(first, MigrationWorkflowImpl.class);
        return;
      } catch (Exception ignored) {
        // judged by the test itself
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void recordedHistoryReplaysAgainstTodaysCode(Path history) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        Files.readString(history), MigrationWorkflowImpl.class, FleetWorkflowImpl.class);
  }

  /**
   * The step header (StepFact) is part of no command: a change to what it holds needs no version
   * marker.
   */
  @Test
  void replayIgnoresTheStepHeader() throws Exception {
    // given a recorded history with facts, whose step headers are taken out
    WorkflowExecutionHistory recorded =
        WorkflowExecutionHistory.fromJson(
            Files.readString(HISTORIES.resolve("v6/facts-decisions-and-undo.json")));
    History.Builder stripped = recorded.getHistory().toBuilder().clearEvents();
    int removed = 0;
    for (HistoryEvent e : recorded.getHistory().getEventsList()) {
      if (e.hasActivityTaskScheduledEventAttributes()
          && e.getActivityTaskScheduledEventAttributes()
              .getHeader()
              .containsFields(StepFact.HEADER)) {
        var attributes = e.getActivityTaskScheduledEventAttributes().toBuilder();
        attributes.getHeaderBuilder().removeFields(StepFact.HEADER);
        e = e.toBuilder().setActivityTaskScheduledEventAttributes(attributes).build();
        removed++;
      }
      stripped.addEvents(e);
    }

    // when it replays against today's code, which sets the headers, then no non-determinism is
    // found
    assertThat(removed).isGreaterThan(5);
    WorkflowReplayer.replayWorkflowExecution(
        new WorkflowExecutionHistory(
            stripped.build(), recorded.getWorkflowExecution().getWorkflowId()),
        MigrationWorkflowImpl.class);
  }
}
