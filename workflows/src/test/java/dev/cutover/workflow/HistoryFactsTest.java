package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The facts the workflow records for the report: every step activity carries its step in a header,
 * and every signal handled leaves one marker with the workflow's judgement, in order.
 */
class HistoryFactsTest extends WorkflowTestSupport {
  static final String PLAN =
      """
      migration: facts
      hosts: {old: {}}
      gates: [{name: go, before: downtime}]
      phases:
        prepare: {steps: [{name: flaky, kind: run, host: old, command: flaky, retry: {maxAttempts: 1}}]}
        downtime:
          steps:
            - {name: stop, kind: run, host: old, command: stop, undo: {kind: run, host: old, command: start}}
            - {name: settle, kind: wait, duration: 1m}
            - {name: never, kind: run, host: old, command: never}
      """;

  @Test
  void everyStepActivityCarriesItsStepAndEverySignalLeavesItsJudgement() {
    // given a run whose first step fails once, then waits at its gate
    AtomicBoolean fixed = new AtomicBoolean();
    run.answer(
        r -> {
          if (r.command().equals("flaky") && !fixed.getAndSet(true)) {
            throw ApplicationFailure.newFailure(
                "exit code 1", CutoverErrors.COMMAND_FAILED, new RunResult(1, "", 1, false));
          }
          if (r.command().equals("never")) {
            throw ApplicationFailure.newNonRetryableFailure(
                "exit code 2", CutoverErrors.COMMAND_FAILED);
          }
          return new RunResult(0, "", 1, false);
        });
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(workflow, s -> "decision:flaky".equals(s.waitingFor()));

    // when operators send signals that apply and signals that do not, and an abort undoes a step
    untyped().signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go", "early", "ann"));
    untyped()
        .signal(
            CutoverNames.SIGNAL_DECIDE,
            new DecideRequest("flaky", DecisionAction.RETRY, "fixed", "ann"));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));
    untyped().signal("aprove", new ApproveRequest("go", null, null));
    untyped()
        .signal(
            CutoverNames.SIGNAL_APPROVE,
            new ApproveRequest("go", "c".repeat(5_000), "b".repeat(5_000)));
    awaitStatus(workflow, s -> "decision:never".equals(s.waitingFor()));
    untyped().signal(CutoverNames.SIGNAL_ABORT, new AbortRequest("no", "ann"));
    result();
    History history = client.fetchHistory(ID).getHistory();

    // then each signal has its judgement, in the order sent, cut to the limits
    List<OperatorFact> facts = markers(history, OperatorFact.class, OperatorFact.KIND);
    assertThat(facts)
        .extracting(OperatorFact::signal)
        .containsExactly("approve", "decide", "aprove", "approve", "abort");
    assertThat(facts)
        .extracting(OperatorFact::accepted)
        .containsExactly(false, true, false, true, true);
    assertThat(facts.get(0).reason()).startsWith("gate 'go' is not open yet");
    assertThat(facts.get(1).target()).isEqualTo("flaky");
    assertThat(facts.get(1).action()).isEqualTo("retry");
    assertThat(facts.get(2).reason()).contains("is no signal of this workflow");
    assertThat(facts.get(3).comment()).hasSizeLessThan(SignalLimits.MAX_COMMENT_CHARS + 40);
    assertThat(facts.get(3).by()).hasSizeLessThan(SignalLimits.MAX_BY_CHARS + 40);
    assertThat(facts.get(4).answer()).contains("undoes 1 finished step");
    // and every step activity names its step, its try and whether it is an undo; the wait step has
    // its marker
    assertThat(headers(history))
        .containsExactly(
            StepFact.run("prepare", "flaky", 1, 0, false),
            StepFact.run("prepare", "flaky", 2, 0, false),
            StepFact.run("downtime", "stop", 1, 0, false),
            StepFact.run("downtime", "never", 1, 0, false),
            StepFact.undo("downtime", "stop"));
    assertThat(markers(history, StepFact.class, StepFact.KIND))
        .containsExactly(StepFact.run("downtime", "settle", 1, 0, false));
  }

  private static <T> List<T> markers(History history, Class<T> type, String kind) {
    return history.getEventsList().stream()
        .filter(
            e ->
                e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                    && e.getMarkerRecordedEventAttributes().containsDetails("data"))
        .map(e -> e.getMarkerRecordedEventAttributes().getDetailsOrThrow("data").getPayloads(0))
        .filter(p -> p.getData().toStringUtf8().contains("\"fact\":\"" + kind + "\""))
        .map(p -> DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, type, type))
        .toList();
  }

  private static List<StepFact> headers(History history) {
    return history.getEventsList().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getHeader())
        .filter(h -> h.containsFields(StepFact.HEADER))
        .map(
            h ->
                DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                    h.getFieldsOrThrow(StepFact.HEADER), StepFact.class, StepFact.class))
        .toList();
  }
}
