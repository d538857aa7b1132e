package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributeKey;
import org.junit.jupiter.api.Test;

/** Gates stop the run before a phase until a person approves by signal or update. */
class GateTest extends WorkflowTestSupport {
  static final String PLAN =
      """
      migration: gated
      hosts: {old: {}}
      gates:
        - {name: go-downtime, before: downtime, description: check the presync first}
        - {name: go-live, before: switch}
      phases:
        prepare:  {steps: [{name: prep, kind: run, host: old, command: prep}]}
        downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        switch:   {steps: [{name: flip, kind: run, host: old, command: flip}]}
      """;

  @Test
  void openGateWaitsAndTellsExactlyWhatToSend() {
    // given a run that reached its first gate
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    MigrationStatus status =
        awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);

    // then nothing past the gate ran, and status and search attributes name the gate and the
    // update the Temporal UI sends
    assertThat(run.commands).containsExactly("prep");
    assertThat(status.waitingFor()).isEqualTo("gate:go-downtime");
    assertThat(status.nextAction())
        .contains("cutover approve " + ID + " go-downtime")
        .contains("Send an Update 'approveGate' with {\"gate\": \"go-downtime\"");
    assertThat(searchAttribute(CutoverSearchAttributes.WAITING_FOR)).isEqualTo("gate:go-downtime");
    assertThat(searchAttribute(CutoverSearchAttributes.PHASE)).isEqualTo("downtime");
  }

  @Test
  void signalAndUpdateBothApprove() {
    // given a run waiting at the first gate
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));

    // when the first gate is approved by the UI's signal and the second by the CLI's update
    untyped()
        .signal(
            CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go-downtime", "from the UI", null));
    awaitStatus(workflow, s -> "gate:go-live".equals(s.waitingFor()));
    GateApproval approval =
        workflow.approveGate(new ApproveRequest("go-live", "from the CLI", "alice@ops"));

    // then the run completes and both approvals are recorded with their comments
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(approval.gate()).isEqualTo("go-live");
    MigrationStatus status = workflow.status();
    assertThat(status.gates()).extracting(GateStatus::state).containsOnly(GateState.APPROVED);
    assertThat(status.gates())
        .extracting(GateStatus::comment)
        .containsExactly("from the UI", "from the CLI");
    assertThat(status.gates().get(1).by()).isEqualTo("alice@ops");
    assertThat(run.commands).containsExactly("prep", "stop", "flip");
  }

  @Test
  void updateRejectsUnknownAndNotYetOpenGatesWithTheReason() {
    // given a run waiting at go-downtime
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);

    // when someone approves a gate that does not exist, or one that is not open yet
    // then the update is rejected and says why
    assertThatThrownBy(() -> workflow.approveGate(new ApproveRequest("go-typo", null, null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("no gate named 'go-typo'; gates in this plan: go-downtime, go-live");
    assertThatThrownBy(() -> workflow.approveGate(new ApproveRequest("go-live", null, null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("gate 'go-live' is not open yet: it opens before phase switch");
    // and a signal for a closed gate is ignored but noted, so the UI user can see why nothing
    // happened
    untyped().signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go-live", null, null));
    MigrationStatus status = awaitStatus(workflow, s -> !s.notes().isEmpty());
    assertThat(status.notes())
        .anyMatch(n -> n.contains("ignored signal approve: gate 'go-live' is not open yet"));
    assertThat(status.waitingFor()).isEqualTo("gate:go-downtime");
  }

  @Test
  void gateWithDeadlineFailsClosed() {
    // given a gate that must be approved within an hour, and a step before it with an undo
    var plan =
        Plans.parse(
            """
        migration: deadline
        hosts: {old: {}}
        gates: [{name: go, before: downtime, deadline: 1h}]
        phases:
          prepare:  {steps: [{name: prep, kind: run, host: old, command: prep, undo: {kind: run, host: old, command: unprep}}]}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        """);

    // when nobody approves
    start(plan);
    MigrationResult result = result();

    // then the run aborts without starting the downtime, and undoes the prepare step
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(result.abortReason()).contains("gate go expired after 1h");
    assertThat(run.commands).containsExactly("prep", "unprep");
  }

  private String searchAttribute(SearchAttributeKey<String> key) {
    return untyped().describe().getTypedSearchAttributes().get(key);
  }
}
