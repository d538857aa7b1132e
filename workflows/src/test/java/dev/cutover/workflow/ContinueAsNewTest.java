package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import org.junit.jupiter.api.Test;

/** Long loops continue as new to bound the history; the status must come through whole. */
class ContinueAsNewTest extends WorkflowTestSupport {

  @Test
  void monitorLoopContinuesAsNewAndKeepsStatus() {
    // given a plan with an approved gate, presync rounds, and a day of checks every 10 minutes
    var plan =
        Plans.parse(
            """
        migration: long-monitor
        hosts: {old: {}, new: {}}
        gates: [{name: go, before: downtime}]
        phases:
          presync:
            every: 1h
            rounds: 3
            steps: [{name: sync, kind: run, host: new, command: sync}]
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop, undo: {kind: run, host: old, command: start}}]}
          monitor:
            every: 10m
            for: 1d
            steps: [{name: watch, kind: run, host: new, command: watch}]
        """);

    // when it runs with a small history limit, so the monitor loop continues as new several times
    MigrationWorkflow workflow = start(new MigrationInput(plan, null, 200));
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);
    workflow.approveGate(new ApproveRequest("go", "looks fine", "erin"));
    MigrationResult result = result();

    // then the last run still knows everything the first one recorded
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    MigrationStatus status = workflow.status();
    assertThat(status.continuedRuns()).isGreaterThanOrEqualTo(2);
    assertThat(status.monitorChecks()).isEqualTo(144);
    assertThat(status.presyncRounds()).hasSize(3);
    assertThat(status.gates())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.state()).isEqualTo(GateState.APPROVED);
              assertThat(g.comment()).isEqualTo("looks fine");
            });
    assertThat(step(result, "stop").state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(run.commands.stream().filter("watch"::equals).count()).isEqualTo(144);
    // and each run's history stayed near the limit
    long events = client.fetchHistory(ID).getHistory().getEventsCount();
    assertThat(events).isLessThan(400);
    assertThat(client.fetchHistory(ID).getHistory().getEvents(0).getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  }
}
