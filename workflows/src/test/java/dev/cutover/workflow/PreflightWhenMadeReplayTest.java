package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plan where a copy reads what an earlier copy makes: a run begun before preflight left that for
 * just before the copy replays as it ran (one preflight at the start), and a new run checks it just
 * before the copy, behind its version marker.
 */
class PreflightWhenMadeReplayTest extends WorkflowTestSupport {
  static final Path BEFORE =
      Path.of("src/test/resources/preflight/when-made-before-the-change.json");
  final HostStepsFake hosts = new HostStepsFake();

  @Override
  Object[] moreActivities() {
    return new Object[] {hosts};
  }

  @Test
  void aRunRecordedBeforeTheChangeReplaysWithItsOnePreflight() throws Exception {
    // given a history of the plan recorded by the code before the change
    String history = Files.readString(BEFORE);

    // when it replays against today's code, then it replays, having had one preflight and no marker
    // of the change
    assertThatCode(
            () -> WorkflowReplayer.replayWorkflowExecution(history, MigrationWorkflowImpl.class))
        .doesNotThrowAnyException();
    assertThat(history).doesNotContain(StepExecutor.PREFLIGHT_WHEN_MADE_CHANGE);
  }

  @Test
  void aNewRunChecksTheStagedTreeJustBeforeTheCopyAndReplays() throws Exception {
    // given the same plan started on today's code
    start(Plans.parse(RecordPreflightWhenMadeHistory.PLAN));

    // when it completes
    MigrationResult result = result();

    // then a second preflight ran right before the copy of the staged tree, after its marker, and
    // the history replays
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(hosts.calls)
        .containsExactly(
            "preflight [old[rsync], new[rsync]]",
            "rsync stage",
            "preflight [new[], old[]]",
            "rsync keep-uploads");
    List<HistoryEvent> events = client.fetchHistory(ID).getHistory().getEventsList();
    assertThat(
            events.stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
                .map(
                    e ->
                        e.getMarkerRecordedEventAttributes()
                            .getDetailsMap()
                            .get("changeId")
                            .getPayloads(0)
                            .getData()
                            .toStringUtf8()))
        .contains("\"" + StepExecutor.PREFLIGHT_WHEN_MADE_CHANGE + "\"");
    assertThatCode(
            () ->
                WorkflowReplayer.replayWorkflowExecution(
                    client.fetchHistory(ID), MigrationWorkflowImpl.class))
        .doesNotThrowAnyException();
  }
}
