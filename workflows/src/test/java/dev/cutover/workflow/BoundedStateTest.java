package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.protobuf.ByteString;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Whatever an outsider or a long loop adds, the run's state stays bounded: a monitor whose checks
 * fail thousands of times under onFailure: continue, while hostile signals arrive, completes, and
 * status and every checkpoint stay under the budget.
 */
class BoundedStateTest extends WorkflowTestSupport {
  /** Ten checks a round, a thousand rounds: 10,000 failing checks (one activity each). */
  static final int CHECKS_PER_ROUND = 10;

  static final int ROUNDS = 1000;
  static final int HOSTILE_SIGNALS = 1000;

  /**
   * Signals of 1.5 MB among them, as the probe sent with --input-file; each stays in the test
   * server's memory.
   */
  static final int HUGE_SIGNALS = 12;

  static final String HUGE = "g".repeat(1_500_000);

  @Test
  void tenThousandFailingChecksAndAThousandHostileSignalsLeaveStateBounded() {
    // given a monitor of ten checks every minute for 1000 minutes, each failing under onFailure:
    // continue
    StringBuilder checks = new StringBuilder();
    for (int i = 0; i < CHECKS_PER_ROUND; i++) {
      checks
          .append("      - {name: web-")
          .append(i)
          .append(
              ", kind: run, host: new, command: check, onFailure: continue, retry: {maxAttempts: 1}}\n");
    }
    var plan =
        Plans.parse(
            """
        migration: noisy
        hosts: {new: {}}
        gates: [{name: go-live, before: monitor}]
        phases:
          monitor:
            every: 1m
            for: %dm
            steps:
        %s"""
                .formatted(ROUNDS, checks));
    AtomicInteger checksRun = new AtomicInteger();
    AtomicInteger signalsSent = new AtomicInteger();
    List<Integer> statusSizes = new ArrayList<>();
    String failure = "HTTP 503 from https://shop.example/health after 2.0s\n" + "x".repeat(3000);
    // and, from inside the checks (so they arrive during the loop), a hostile signal every ten
    // checks
    // and a status query every 500
    run.answer(
        r -> {
          int n = checksRun.incrementAndGet();
          if (n % (CHECKS_PER_ROUND * ROUNDS / HOSTILE_SIGNALS) == 0
              && signalsSent.get() < HOSTILE_SIGNALS) {
            sendHostileSignal(signalsSent.getAndIncrement());
          }
          if (n % 500 == 0) {
            MigrationStatus status = client.newWorkflowStub(MigrationWorkflow.class, ID).status();
            synchronized (statusSizes) {
              statusSizes.add(StateBudget.size(status));
            }
          }
          throw ApplicationFailure.newNonRetryableFailure(
              "check failed", CutoverErrors.COMMAND_FAILED, new RunResult(1, failure, 2000, false));
        });

    // when it runs, approved through the gate by signal
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> "gate:go-live".equals(s.waitingFor()));
    untyped()
        .signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go-live", "watch it", "erin"));
    MigrationResult result = result();

    // then the run completed after every check, and status worked throughout, under the budget
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(checksRun.get()).isEqualTo(CHECKS_PER_ROUND * ROUNDS);
    assertThat(signalsSent.get()).isEqualTo(HOSTILE_SIGNALS);
    assertThat(statusSizes)
        .hasSize(CHECKS_PER_ROUND * ROUNDS / 500)
        .allMatch(size -> size <= StateBudget.MAX_BYTES);
    MigrationStatus status = workflow.status();
    int finalStatus = StateBudget.size(status);
    assertThat(finalStatus).isLessThanOrEqualTo(StateBudget.MAX_BYTES);
    // and repeats collapsed into counted notes: each check's thousand failures are one line
    assertThat(status.notes())
        .hasSizeLessThanOrEqualTo(Notes.MAX_ENTRIES + 1)
        .anyMatch(
            n ->
                n.startsWith(
                    "step web-0 failed and the plan says continue " + ROUNDS + " times (first at "))
        .anyMatch(
            n ->
                n.startsWith(
                    "step web-9 failed and the plan says continue " + ROUNDS + " times (first at "))
        // four kinds of hostile approve, three of decide (one of them no JSON at all), two of abort
        .anyMatch(
            n -> n.startsWith("ignored signal approve " + HOSTILE_SIGNALS * 4 / 10 + " times"))
        .anyMatch(n -> n.startsWith("ignored signal decide " + HOSTILE_SIGNALS * 3 / 10 + " times"))
        .anyMatch(n -> n.startsWith("ignored signal abort " + HOSTILE_SIGNALS * 2 / 10 + " times"))
        .anyMatch(
            n ->
                n.startsWith("ignored signals of unknown names " + HOSTILE_SIGNALS / 10 + " times"))
        .allMatch(n -> n.length() < 1000);
    assertThat(status.gates()).singleElement().satisfies(g -> assertThat(g.by()).isEqualTo("erin"));
    assertThat(status.continuedRuns()).isGreaterThan(0);
    // and the last run's history, with its hostile signals, replays
    assertThatCode(
            () ->
                io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(
                    client.fetchHistory(ID), MigrationWorkflowImpl.class))
        .doesNotThrowAnyException();
    // and every checkpoint the runs carried stayed under the budget
    List<Integer> checkpoints = checkpointSizes();
    assertThat(checkpoints)
        .hasSize(status.continuedRuns())
        .allMatch(size -> size <= StateBudget.MAX_BYTES);
    System.out.printf(
        "bounded state: %,d failing checks, %,d hostile signals (%d of 1.5 MB), %d runs; "
            + "checkpoint sizes %s bytes (budget %,d); status %,d bytes at the end, at most %,d during the run%n",
        checksRun.get(),
        signalsSent.get(),
        HUGE_SIGNALS,
        status.continuedRuns() + 1,
        checkpoints,
        StateBudget.MAX_BYTES,
        finalStatus,
        statusSizes.stream().mapToInt(Integer::intValue).max().orElse(0));
  }

  @Test
  void statusAndCheckpointCutStepOutputWhenItWouldNotFit() {
    // given a monitor of 80 checks that each print 4,000 characters: 320 KB of output tails
    StringBuilder checks = new StringBuilder();
    for (int i = 0; i < 80; i++) {
      checks
          .append("      - {name: check-")
          .append(i)
          .append(", kind: run, host: new, command: check}\n");
    }
    run.answer(r -> new RunResult(0, "line of output\n".repeat(300).substring(0, 4000), 1, false));
    MigrationWorkflow workflow =
        start(
            new MigrationInput(
                Plans.parse(
                    """
        migration: chatty
        hosts: {new: {}}
        gates: [{name: done, before: finish}]
        phases:
          monitor:
            every: 10m
            for: 30m
            steps:
        %s  finish: {steps: [{name: bye, kind: run, host: new, command: bye}]}
        """
                        .formatted(checks)),
                null,
                100));

    // when it has continued as new and waits at the gate
    MigrationStatus status = awaitStatus(workflow, s -> "gate:done".equals(s.waitingFor()));

    // then status fits the budget by cutting output tails, and says so; every step is still listed
    assertThat(StateBudget.size(status)).isLessThanOrEqualTo(StateBudget.MAX_BYTES);
    assertThat(status.notes().get(0))
        .startsWith("status cut to fit 256 KB: step output cut to its last 1000 characters");
    assertThat(status.steps())
        .hasSize(81)
        .allMatch(s -> s.outputTail() == null || s.outputTail().length() <= 1001);
    // and the checkpoint the continued run started from fitted too, and its note carried over
    assertThat(status.continuedRuns()).isGreaterThan(0);
    MigrationInput input =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
            0,
            java.util.Optional.of(
                client
                    .fetchHistory(ID)
                    .getHistory()
                    .getEvents(0)
                    .getWorkflowExecutionStartedEventAttributes()
                    .getInput()),
            MigrationInput.class,
            MigrationInput.class);
    assertThat(StateBudget.size(input.checkpoint())).isLessThanOrEqualTo(StateBudget.MAX_BYTES);
    assertThat(status.notes()).anyMatch(n -> n.startsWith("checkpoint cut to fit 256 KB"));
    workflow.approveGate(new ApproveRequest("done", null, null));
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);
  }

  @Test
  void updatesRefuseOversizedFieldsWithTheReason() {
    // given a run waiting at its gate
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: limits
        hosts: {old: {}}
        gates: [{name: go, before: downtime}]
        phases:
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        """));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));

    // when updates carry fields over their limits, then each is refused naming the field and the
    // limit
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> workflow.approveGate(new ApproveRequest("go", "c".repeat(5000), "erin")))
        .rootCause()
        .hasMessageContaining("field 'comment' has 5,000 characters; the limit is 1,000");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> workflow.approveGate(new ApproveRequest(HUGE, null, null)))
        .rootCause()
        .hasMessageContaining("field 'gate' has 1,500,000 characters; the limit is 200")
        .hasMessageContaining("(1,500,000 characters)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> workflow.abortMigration(new AbortRequest("r".repeat(2000), null)))
        .rootCause()
        .hasMessageContaining("field 'reason' has 2,000 characters; the limit is 1,000");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                workflow.decideStep(
                    new DecideRequest("stop", DecisionAction.RETRY, null, "b".repeat(300))))
        .rootCause()
        .hasMessageContaining("field 'by' has 300 characters; the limit is 200");
    // and a signal with an oversized comment is applied with the comment cut, and a note says so
    untyped()
        .signal(CutoverNames.SIGNAL_APPROVE, Map.of("gate", "go", "comment", "c".repeat(5000)));
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    MigrationStatus status = workflow.status();
    assertThat(status.gates().get(0).comment())
        .startsWith("c".repeat(1000))
        .endsWith("(5,000 characters)")
        .hasSizeLessThan(1100);
    assertThat(status.notes())
        .anyMatch(
            n ->
                n.startsWith(
                    "signal approve: text cut to its limit: field 'comment' has 5,000 characters"));
  }

  @Test
  void malformedUndecodableAndMisspelledSignalsAreNotedInShort() {
    // given a run waiting at its gate
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                """
        migration: malformed
        hosts: {old: {}}
        gates: [{name: go, before: downtime}]
        phases:
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        """));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));

    // when signals arrive as an array, a number, with an unknown action, under a misspelled name,
    // as no JSON at all
    untyped().signal(CutoverNames.SIGNAL_APPROVE, List.of("go", "now"));
    untyped().signal(CutoverNames.SIGNAL_ABORT, 42);
    untyped().signal(CutoverNames.SIGNAL_DECIDE, Map.of("step", "stop", "action", "explode"));
    untyped().signal("aprove", Map.of("gate", "go"));
    MigrationStatus status = awaitStatus(workflow, s -> s.notes().size() >= 4);

    // then each is noted, in short, and none of them moved or stopped the run
    assertThat(status.notes())
        .anyMatch(
            n ->
                n.startsWith(
                        "ignored signal approve: not an approval: expected a JSON object like {\"gate\": \"...\"")
                    && n.contains("got an array of 2 '[\"go\",\"now\"]'"));
    assertThat(status.notes())
        .anyMatch(
            n ->
                n.startsWith("ignored signal abort: not an abort request: expected a JSON object")
                    && n.contains("got a number '42'"));
    assertThat(status.notes())
        .anyMatch(
            n ->
                n.startsWith(
                    "ignored signal decide: not a decision: unknown action 'explode'; expected retry, skip or abort"));
    assertThat(status.notes())
        .anyMatch(
            n ->
                n.startsWith(
                    "ignored signals of unknown names: 'aprove' is no signal of this workflow"));
    // and bytes that are no JSON at all are noted under the same kind, counted
    undecodable(CutoverNames.SIGNAL_APPROVE, 7);
    status =
        awaitStatus(
            workflow, s -> s.notes().stream().anyMatch(n -> n.contains("cannot be read as JSON")));
    assertThat(status.notes())
        .anyMatch(
            n ->
                n.startsWith("ignored signal approve 2 times")
                    && n.endsWith(
                        "the argument cannot be read as JSON (12 bytes, encoding 'json/plain')"));
    assertThat(status.waitingFor()).isEqualTo("gate:go");
    // and an update of the wrong shape is refused with the same reason
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                untyped()
                    .startUpdate(
                        CutoverNames.UPDATE_APPROVE,
                        io.temporal.client.WorkflowUpdateStage.COMPLETED,
                        GateApproval.class,
                        List.of(1, 2))
                    .getResult())
        .rootCause()
        .hasMessageContaining("not an approval: expected a JSON object");
    workflow.approveGate(new ApproveRequest("go", null, null));
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);
    // and the history with all of them replays: reading them raw is deterministic
    assertThatCode(
            () ->
                io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(
                    client.fetchHistory(ID), MigrationWorkflowImpl.class))
        .doesNotThrowAnyException();
  }

  private void sendHostileSignal(int n) {
    var stub = client.newUntypedWorkflowStub(ID);
    switch (n % 10) {
      case 0 ->
          stub.signal(
              CutoverNames.SIGNAL_APPROVE,
              new ApproveRequest(
                  n / 10 < HUGE_SIGNALS ? HUGE : "g".repeat(10_000) + n, null, null));
      case 1 -> stub.signal(CutoverNames.SIGNAL_APPROVE, List.of("go-live", n));
      case 2 ->
          stub.signal(
              CutoverNames.SIGNAL_DECIDE, Map.of("step", "web-1", "action", "explode-" + n));
      case 3 ->
          stub.signal(
              CutoverNames.SIGNAL_DECIDE,
              new DecideRequest("web-1", DecisionAction.RETRY, "c".repeat(20_000), "mallory"));
      case 4 -> stub.signal(CutoverNames.SIGNAL_ABORT, List.of(1, 2, 3));
      case 5 -> stub.signal(CutoverNames.SIGNAL_ABORT, n);
      case 6 -> stub.signal("aprove-" + n, Map.of("gate", "go-live"));
      case 7 ->
          stub.signal(
              CutoverNames.SIGNAL_APPROVE, Map.of("gate", Map.of("nested", "x".repeat(5000))));
      case 8 -> stub.signal(CutoverNames.SIGNAL_APPROVE, "z".repeat(50_000));
      default -> undecodable(CutoverNames.SIGNAL_DECIDE, n);
    }
  }

  /**
   * Bytes that are no JSON at all, sent as JSON: the SDK cannot decode them, the run must not mind.
   */
  private void undecodable(String signal, int n) {
    Payload garbage =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(
                ByteString.copyFrom(("\u00ff{not json " + n).getBytes(StandardCharsets.ISO_8859_1)))
            .build();
    client
        .getWorkflowServiceStubs()
        .blockingStub()
        .signalWorkflowExecution(
            SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(ID))
                .setSignalName(signal)
                .setInput(Payloads.newBuilder().addPayloads(garbage))
                .build());
  }

  /**
   * The checkpoint each continued run started from, as sizes: newest run first, back to the first.
   */
  private List<Integer> checkpointSizes() {
    List<Integer> sizes = new ArrayList<>();
    String runId = null;
    while (true) {
      HistoryEvent started =
          (runId == null ? client.fetchHistory(ID) : client.fetchHistory(ID, runId))
              .getHistory()
              .getEvents(0);
      var attributes = started.getWorkflowExecutionStartedEventAttributes();
      MigrationInput input =
          DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
              0,
              java.util.Optional.of(attributes.getInput()),
              MigrationInput.class,
              MigrationInput.class);
      if (input.checkpoint() == null) {
        return sizes;
      }
      sizes.add(StateBudget.size(input.checkpoint()));
      runId = attributes.getContinuedExecutionRunId();
    }
  }
}
