package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A history that records facts (v6 on) is reported from them: the step of each activity from its
 * header, a wait step from its marker, a signal's answer from the workflow's judgement. So the
 * wording of summaries can change, and a rule of the workflow can change, without changing what the
 * report says of a run.
 */
class FactsReportTest {
  private static final Path FACTS =
      ReportGoldenTest.RELEASED.resolve("v6/facts-decisions-and-undo.json");

  @Test
  void theTimelineDoesNotDependOnTheWordingOfSummaries() {
    // given a history with facts, and a copy whose every activity and timer summary says something
    // else
    History history = HistoryFiles.read(FACTS);
    History reworded =
        rewrite(
            history,
            e ->
                e.hasUserMetadata()
                    ? e.toBuilder()
                        .setUserMetadata(
                            e.getUserMetadata().toBuilder()
                                .setSummary(
                                    text(
                                        "prepare / backup: run (reworded " + e.getEventId() + ")")))
                        .build()
                    : e);

    // when both are reported
    MigrationReport original = ReportBuilder.build("cutover-test", List.of(history), null);
    MigrationReport fromCopy = ReportBuilder.build("cutover-test", List.of(reworded), null);

    // then the steps, their tries, undos and rounds, the gates, the operator actions and the
    // downtime are the same
    assertThat(reworded).isNotEqualTo(history);
    assertThat(fromCopy.steps()).isEqualTo(original.steps());
    assertThat(fromCopy.gates()).isEqualTo(original.gates());
    assertThat(fromCopy.actions()).isEqualTo(original.actions());
    assertThat(fromCopy.presyncRounds()).isEqualTo(original.presyncRounds());
    assertThat(fromCopy.downtime()).isEqualTo(original.downtime());
    // and they are what the run did: a retried step's tries, a wait step, the undos of an abort
    assertThat(step(original, "migrate").executions())
        .extracting(StepExecution::attemptOfStep)
        .containsExactly(1, 2, 3);
    assertThat(step(original, "settle").executions())
        .extracting(StepExecution::outcome)
        .containsExactly("succeeded");
    assertThat(step(original, "stop").executions())
        .extracting(StepExecution::undo)
        .containsExactly(false, true);
    assertThat(step(original, "sync").executions())
        .extracting(StepExecution::round)
        .containsExactly(1, 2);
  }

  @Test
  void aSignalsAnswerIsTheWorkflowsJudgementNotTheReportsOwn() {
    // given a history with facts, and a copy where the workflow judged the accepted approval
    // otherwise
    History history = HistoryFiles.read(FACTS);
    History judgedOtherwise =
        rewrite(
            history,
            e -> {
              if (e.getEventType() != EventType.EVENT_TYPE_MARKER_RECORDED
                  || !e.getMarkerRecordedEventAttributes().containsDetails("data")) {
                return e;
              }
              Payload fact =
                  e.getMarkerRecordedEventAttributes().getDetailsOrThrow("data").getPayloads(0);
              ObjectNode json = (ObjectNode) PayloadJson.of(fact);
              if (!json.path("accepted").asBoolean()
                  || !"approve".equals(json.path("signal").asText())) {
                return e;
              }
              json.put("accepted", false).put("reason", "a rule of a later version");
              var attributes =
                  e.getMarkerRecordedEventAttributes().toBuilder()
                      .putDetails(
                          "data",
                          e.getMarkerRecordedEventAttributes().getDetailsOrThrow("data").toBuilder()
                              .setPayloads(
                                  0,
                                  fact.toBuilder()
                                      .setData(
                                          ByteString.copyFrom(
                                              json.toString(), StandardCharsets.UTF_8)))
                              .build());
              return e.toBuilder().setMarkerRecordedEventAttributes(attributes).build();
            });

    // when it is reported
    MigrationReport report = ReportBuilder.build("cutover-test", List.of(judgedOtherwise), null);

    // then the report says what the workflow said, though the gate was open when the signal came
    OperatorAction approval =
        report.actions().stream()
            .filter(a -> "rounds are small".equals(a.comment()))
            .findFirst()
            .orElseThrow();
    assertThat(approval.accepted()).isFalse();
    assertThat(approval.answer()).isEqualTo("ignored: a rule of a later version");
    assertThat(report.gates())
        .extracting(GateReport::state)
        .containsExactly("closed without approval");
  }

  @Test
  void aHostileNameIsShownAsTheWorkflowCutIt() {
    // given the run that got an approval naming a gate by 5,000 characters
    MigrationReport report =
        ReportBuilder.build("cutover-test", List.of(HistoryFiles.read(FACTS)), null);

    // then its action names the gate by its start and its size, as status does
    OperatorAction hostile =
        report.actions().stream()
            .filter(a -> "too long a name".equals(a.comment()))
            .findFirst()
            .orElseThrow();
    assertThat(hostile.accepted()).isFalse();
    assertThat(hostile.target())
        .startsWith("gggg")
        .endsWith("… (5,000 characters)")
        .hasSizeLessThan(100);
    assertThat(hostile.answer()).hasSizeLessThan(200);
  }

  @Test
  void aDowntimeStillGoingPastItsBudgetIsExceededWithoutReadingTimerSummaries() {
    // given the history with facts cut while its downtime ran (at the last step's scheduling), and
    // its plan given a budget of 30s, shorter than the wait step that ran in the downtime
    History history = HistoryFiles.read(FACTS);
    int cut = 0;
    while (!isScheduled(history.getEvents(cut), "start-new")) {
      cut++;
    }
    History running =
        rewrite(
            History.newBuilder().addAllEvents(history.getEventsList().subList(0, cut + 1)).build(),
            e -> {
              if (!e.hasWorkflowExecutionStartedEventAttributes()) {
                return e;
              }
              Payload input =
                  e.getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
              ObjectNode json = (ObjectNode) PayloadJson.of(input);
              ((ObjectNode) json.path("plan")).putObject("window").put("downtimeBudget", "PT30S");
              var attributes = e.getWorkflowExecutionStartedEventAttributes().toBuilder();
              attributes
                  .getInputBuilder()
                  .setPayloads(
                      0,
                      input.toBuilder()
                          .setData(ByteString.copyFrom(json.toString(), StandardCharsets.UTF_8)));
              return e.toBuilder().setWorkflowExecutionStartedEventAttributes(attributes).build();
            });

    // when it is reported
    MigrationReport report = ReportBuilder.build("cutover-test", List.of(running), null);

    // then the migration is running, its downtime not measured yet, and the budget exceeded
    assertThat(report.outcome()).isEqualTo("running");
    assertThat(report.downtime().measured()).isNull();
    assertThat(report.downtime().budgetExceeded()).isTrue();
  }

  private static boolean isScheduled(HistoryEvent e, String step) {
    return e.hasActivityTaskScheduledEventAttributes()
        && PayloadJson.of(
                e.getActivityTaskScheduledEventAttributes()
                    .getHeader()
                    .getFieldsOrDefault("cutover-step", Payload.getDefaultInstance()))
            .path("step")
            .asText()
            .equals(step);
  }

  private static History rewrite(History history, UnaryOperator<HistoryEvent> change) {
    History.Builder copy = history.toBuilder().clearEvents();
    history.getEventsList().forEach(e -> copy.addEvents(change.apply(e)));
    return copy.build();
  }

  private static Payload text(String value) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).orElseThrow();
  }

  private static StepReport step(MigrationReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
