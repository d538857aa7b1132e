package dev.cutover.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.workflow.AbortRequest;
import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.DecideRequest;
import dev.cutover.workflow.DecisionAction;
import dev.cutover.workflow.GateStatus;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fleet workflow with real member migrations (their run steps faked): waves, dependencies, the
 * limit, shared gates, holds, abort. Every wait is on status, in virtual time.
 */
class FleetWorkflowTest extends FleetTestSupport {
  @Test
  void wavesRunInOrderAndAServiceWaitsForItsDependencies() {
    // given wave one with a, and b depending on a; wave two with c; each member waits at its gate
    Fleet fleet =
        new Fleet(
            FLEET,
            "two waves",
            10,
            FleetFailurePolicy.HOLD,
            List.of(
                new FleetWave("one", List.of("a", "b"), List.of()),
                new FleetWave("two", List.of("c"), List.of())),
            List.of(
                service("a", "one", plan("a", true, false)),
                service("b", "one", plan("b", true, false), "a"),
                service("c", "two", plan("c", true, false))));
    FleetWorkflow workflow = start(fleet);

    // when a waits at its own gate
    FleetStatus first = await(workflow, state("a", "at-gate"));

    // then b waits for a, c for its wave, and the fleet itself waits for nothing
    assertThat(service(first, "a").waitingFor()).isEqualTo("gate:go");
    assertThat(service(first, "b").state()).isEqualTo("waiting");
    assertThat(service(first, "b").waitingFor()).isEqualTo("dependsOn a");
    assertThat(service(first, "c").waitingFor()).isEqualTo("wave two");
    assertThat(first.waves().get(1).state()).isEqualTo("pending");
    assertThat(first.waitingFor()).isEmpty();

    // when a is approved (on the member) and completes
    member("a").approveGate(new ApproveRequest("go", "ok", "bob"));
    FleetStatus second = await(workflow, state("b", "at-gate"));

    // then b starts after a ended, and c still waits for wave one to end
    assertThat(service(second, "a").state()).isEqualTo("completed");
    assertThat(service(second, "c").state()).isEqualTo("waiting");

    // when b is approved, c starts in wave two; when c is approved the fleet completes
    member("b").approveGate(new ApproveRequest("go", "ok", "bob"));
    await(workflow, state("c", "at-gate"));
    member("c").approveGate(new ApproveRequest("go", "ok", "bob"));
    FleetResult result = result(fleet);

    assertThat(result.state()).isEqualTo("completed");
    assertThat(result.services()).allSatisfy(s -> assertThat(s.state()).isEqualTo("completed"));
    assertThat(service(result, "b").startedAt()).isAfterOrEqualTo(service(result, "a").endedAt());
    assertThat(service(result, "c").startedAt()).isAfterOrEqualTo(service(result, "b").endedAt());
    assertThat(run.commands).containsSubsequence("move-a", "prep-b", "move-b", "prep-c");
  }

  @Test
  void theLimitKeepsServicesWaitingAndALateMemberIsApprovedAtOnce() {
    // given three services in one wave with a shared gate, at most two in flight
    Fleet fleet =
        new Fleet(
            FLEET,
            null,
            2,
            FleetFailurePolicy.HOLD,
            List.of(
                new FleetWave(
                    "one",
                    List.of("a", "b", "c"),
                    List.of(new SharedGate(SHARED, "downtime", "approve the wave")))),
            List.of(
                service("a", "one", plan("a", false, true)),
                service("b", "one", plan("b", false, true)),
                service("c", "one", plan("c", false, true))));
    FleetWorkflow workflow = start(fleet);

    // when the first two wait at the shared gate
    FleetStatus open =
        await(
            workflow,
            s -> SHARED.equals(gateOf(s).name()) && "gate:wave-downtime".equals(s.waitingFor()));

    // then the third has not started, for the limit
    assertThat(service(open, "a").state()).isEqualTo("at-gate");
    assertThat(service(open, "b").state()).isEqualTo("at-gate");
    assertThat(service(open, "c").state()).isEqualTo("waiting");
    assertThat(service(open, "c").waitingFor()).isEqualTo("concurrency 2 reached");
    assertThat(gateOf(open).state()).isEqualTo("open");

    // when the wave's gate is approved once
    workflow.approveGate(new ApproveRequest(SHARED, "all drained", "alice"));

    // then c starts after one of them ended, reaches the approved gate, passes at once, and all
    // complete
    FleetResult result = result(fleet);
    assertThat(result.state()).isEqualTo("completed");
    java.time.Instant firstEnd =
        List.of(service(result, "a").endedAt(), service(result, "b").endedAt()).stream()
            .min(java.time.Instant::compareTo)
            .orElseThrow();
    assertThat(service(result, "c").startedAt()).isAfterOrEqualTo(firstEnd);
    for (String name : List.of("a", "b", "c")) {
      GateStatus gate = memberGate(name, SHARED);
      assertThat(gate.by()).isEqualTo("fleet night: alice");
      assertThat(gate.comment()).isEqualTo("all drained");
    }
  }

  @Test
  void aSharedGateOpensOnlyWhenEveryMemberInFlightWaitsAtIt() {
    // given a wave of three with a shared gate; b first waits at a gate of its own
    Fleet fleet =
        new Fleet(
            FLEET,
            null,
            10,
            FleetFailurePolicy.HOLD,
            List.of(
                new FleetWave(
                    "one",
                    List.of("a", "b", "c"),
                    List.of(new SharedGate(SHARED, "downtime", "approve the wave")))),
            List.of(
                service("a", "one", plan("a", false, true)),
                service("b", "one", plan("b", true, true)),
                service("c", "one", plan("c", false, true))));
    FleetWorkflow workflow = start(fleet);
    FleetStatus early =
        await(
            workflow, state("a", "at-gate").and(state("b", "at-gate")).and(state("c", "at-gate")));

    // then the shared gate is not open while b waits at its own gate
    assertThat(service(early, "b").waitingFor()).isEqualTo("gate:go");
    assertThat(gateOf(early).state()).isEqualTo("pending");
    assertThat(gateOf(early).waitingOn()).containsExactly("b");
    assertThat(early.waitingFor()).isEmpty();

    // when someone approves the shared gate early, then the update is refused naming b
    assertThatThrownBy(() -> workflow.approveGate(new ApproveRequest(SHARED, "too soon", "alice")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("not open")
        .hasMessageContaining("still waits for b");
    // and a signal saying the same is noted, not taken
    client
        .newUntypedWorkflowStub(FleetNames.fleetWorkflowId(FLEET))
        .signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest(SHARED, "too soon", "carol"));
    FleetStatus noted =
        await(workflow, s -> s.notes().stream().anyMatch(n -> n.startsWith("approve ignored")));
    assertThat(gateOf(noted).state()).isEqualTo("pending");
    assertThat(run.commands).noneMatch(c -> c.startsWith("move-"));

    // when b's own gate is approved on b and b reaches the shared gate
    member("b").approveGate(new ApproveRequest("go", "ok", "bob"));
    FleetStatus open = await(workflow, s -> "gate:wave-downtime".equals(s.waitingFor()));
    assertThat(gateOf(open).state()).isEqualTo("open");
    // and list --waiting finds the fleet by its search attributes
    var attributes =
        client
            .newUntypedWorkflowStub(FleetNames.fleetWorkflowId(FLEET))
            .describe()
            .getTypedSearchAttributes();
    assertThat(attributes.get(CutoverSearchAttributes.WAITING_FOR)).isEqualTo("gate:wave-downtime");
    assertThat(attributes.get(CutoverSearchAttributes.MIGRATION)).isEqualTo(FLEET);
    // and the Temporal UI shows the command that approves it
    assertThat(
            client
                .newUntypedWorkflowStub(FleetNames.fleetWorkflowId(FLEET))
                .query(
                    "__temporal_workflow_metadata", io.temporal.api.sdk.v1.WorkflowMetadata.class)
                .getCurrentDetails())
        .contains("cutover fleet approve night wave-downtime");

    // then one approval by signal, as the Temporal UI sends it, lets all three on
    client
        .newUntypedWorkflowStub(FleetNames.fleetWorkflowId(FLEET))
        .signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest(SHARED, "drained", "dave"));
    FleetResult result = result(fleet);
    assertThat(result.state()).isEqualTo("completed");
    assertThat(run.commands).contains("move-a", "move-b", "move-c");
    assertThat(memberGate("c", SHARED).by()).isEqualTo("fleet night: dave");
    assertThat(workflow.status().waves().get(0).gates().get(0).state()).isEqualTo("approved");
  }

  /** Wave one: a fails at move; b waits at its own gate; d depends on b; c depends on a. */
  private Fleet failingFleet(FleetFailurePolicy policy) {
    run.failing.add("move-a");
    return new Fleet(
        FLEET,
        null,
        10,
        policy,
        List.of(new FleetWave("one", List.of("a", "b", "c", "d"), List.of())),
        List.of(
            service("a", "one", plan("a", false, false)),
            service("b", "one", plan("b", true, false)),
            service("c", "one", plan("c", false, false), "a"),
            service("d", "one", plan("d", false, false), "b")));
  }

  @Test
  void holdStartsNothingWhileAMemberIsBlockedAndADependentOfAFailedMemberIsSkipped() {
    // given a fleet that holds, whose member a blocks on a failed step
    Fleet fleet = failingFleet(FleetFailurePolicy.HOLD);
    FleetWorkflow workflow = start(fleet);
    await(workflow, state("a", "blocked").and(state("b", "at-gate")));

    // when b passes its gate and completes while a is still blocked
    member("b").approveGate(new ApproveRequest("go", "ok", "bob"));
    FleetStatus held = await(workflow, state("b", "completed"));

    // then d, whose dependency completed, is held back, and the fleet waits for a's decision
    assertThat(held.state()).isEqualTo("held");
    assertThat(held.waitingFor()).isEqualTo("decision:a/move");
    assertThat(service(held, "a").detail()).contains("disk full");
    assertThat(service(held, "d").state()).isEqualTo("waiting");
    assertThat(service(held, "d").waitingFor()).contains("held");
    assertThat(held.waves().get(0).state()).isEqualTo("held");

    // when a is decided abort on the member, it rolls back
    member("a").decideStep(new DecideRequest("move", DecisionAction.ABORT, "give up", "bob"));
    FleetResult result = result(fleet);

    // then the hold lifts: d runs; c, which depends on a, is skipped; the fleet failed
    assertThat(service(result, "a").state()).isEqualTo("aborted");
    assertThat(run.commands).contains("undo-prep-a", "move-d");
    assertThat(service(result, "d").state()).isEqualTo("completed");
    assertThat(service(result, "c").state()).isEqualTo("skipped");
    assertThat(service(result, "c").waitingFor()).isEqualTo("dependency a ended aborted");
    assertThat(run.commands).noneMatch(c -> c.endsWith("-c"));
    assertThat(result.state()).isEqualTo("failed");
  }

  @Test
  void continueGoesOnWithTheRestWhileAMemberIsBlocked() {
    // given a fleet that continues, whose member a blocks on a failed step
    Fleet fleet = failingFleet(FleetFailurePolicy.CONTINUE);
    FleetWorkflow workflow = start(fleet);
    await(workflow, state("a", "blocked").and(state("b", "at-gate")));

    // when b passes its gate while a is still blocked
    member("b").approveGate(new ApproveRequest("go", "ok", "bob"));

    // then d starts and completes, the fleet is not held, and c still waits for a
    FleetStatus going = await(workflow, state("d", "completed"));
    assertThat(going.state()).isEqualTo("running");
    assertThat(going.waitingFor()).isEmpty();
    assertThat(service(going, "a").state()).isEqualTo("blocked");
    assertThat(service(going, "c").waitingFor()).isEqualTo("dependsOn a");

    // when a's step is fixed and retried, then c runs too and the fleet completes
    run.failing.clear();
    member("a").decideStep(new DecideRequest("move", DecisionAction.RETRY, "fixed", "bob"));
    FleetResult result = result(fleet);
    assertThat(result.state()).isEqualTo("completed");
    assertThat(run.commands).contains("move-c");
  }

  @Test
  void abortAbortsEveryMemberInFlightAndStartsNoMore() {
    // given wave one of a and b waiting at their own gates, and wave two of c
    Fleet fleet =
        new Fleet(
            FLEET,
            null,
            10,
            FleetFailurePolicy.HOLD,
            List.of(
                new FleetWave("one", List.of("a", "b"), List.of()),
                new FleetWave("two", List.of("c"), List.of())),
            List.of(
                service("a", "one", plan("a", false, true)),
                service("b", "one", plan("b", false, true)),
                service("c", "two", plan("c", false, false))));
    FleetWorkflow workflow = start(fleet);
    await(workflow, state("a", "at-gate").and(state("b", "at-gate")));

    // when the fleet is aborted
    var accepted = workflow.abortMigration(new AbortRequest("the database vendor called", "eve"));

    // then both members roll back their finished steps, c never starts, and the fleet is aborted
    assertThat(accepted.message()).contains("2 member(s) in flight: a, b");
    assertThatThrownBy(() -> workflow.abortMigration(new AbortRequest("again", "eve")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("already aborting");
    FleetResult result = result(fleet);
    assertThat(result.state()).isEqualTo("aborted");
    assertThat(service(result, "a").state()).isEqualTo("aborted");
    assertThat(service(result, "b").state()).isEqualTo("aborted");
    assertThat(service(result, "c").state()).isEqualTo("skipped");
    assertThat(run.commands).contains("undo-prep-a", "undo-prep-b");
    assertThat(run.commands).noneMatch(c -> c.startsWith("move-") || c.endsWith("-c"));
    assertThat(member("a").status().abortReason())
        .contains("fleet night aborted: the database vendor called");
  }

  @Test
  void cancelingTheFleetAbortsItsMembersBySignalAsAnAbortDoes() {
    // given a fleet whose two members prepared and wait at the wave's shared gate
    Fleet fleet =
        new Fleet(
            FLEET,
            null,
            10,
            FleetFailurePolicy.HOLD,
            List.of(
                new FleetWave(
                    "one",
                    List.of("a", "b"),
                    List.of(new SharedGate(SHARED, "downtime", "approve the wave")))),
            List.of(
                service("a", "one", plan("a", false, true)),
                service("b", "one", plan("b", false, true))));
    FleetWorkflow workflow = start(fleet);
    await(workflow, state("a", "at-gate").and(state("b", "at-gate")));

    // when "Request Cancellation" is sent to the fleet
    client.newUntypedWorkflowStub(FleetNames.fleetWorkflowId(FLEET)).cancel();

    // then each member is aborted with the fleet's reason, and the fleet, after waiting for them,
    // closes canceled (as the SDK closes a canceled run) with its state aborted
    assertThatThrownBy(() -> result(fleet))
        .isInstanceOf(io.temporal.client.WorkflowFailedException.class)
        .hasMessageContaining("cancel");
    FleetStatus status = workflow.status();
    assertThat(status.state()).isEqualTo("aborted");
    assertThat(status.services()).allSatisfy(s -> assertThat(s.state()).isEqualTo("aborted"));
    assertThat(run.commands).contains("undo-prep-a", "undo-prep-b");
    assertThat(member("b").status().abortReason()).contains("fleet cancellation requested");
  }

  @Test
  void aServiceWhoseMigrationRunsAlreadyFailsToStartAndItsDependentsAreSkipped() {
    // given migration a already running on its own, waiting at its gate
    MigrationWorkflow alone =
        client.newWorkflowStub(
            MigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(FleetNames.memberWorkflowId("a"))
                .setTaskQueue(CutoverNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(alone::run, MigrationInput.of(plan("a", true, false)));

    // when a fleet with a, b depending on a, and c is started
    Fleet fleet =
        new Fleet(
            FLEET,
            null,
            10,
            FleetFailurePolicy.HOLD,
            List.of(new FleetWave("one", List.of("a", "b", "c"), List.of())),
            List.of(
                service("a", "one", plan("a", false, false)),
                service("b", "one", plan("b", false, false), "a"),
                service("c", "one", plan("c", false, false))));
    start(fleet);
    FleetResult result = result(fleet);

    // then a failed to start (the running migration is left alone), b is skipped, c completed
    assertThat(service(result, "a").state()).isEqualTo("failed");
    assertThat(service(result, "a").detail()).isNotBlank();
    assertThat(service(result, "b").state()).isEqualTo("skipped");
    assertThat(service(result, "c").state()).isEqualTo("completed");
    assertThat(result.state()).isEqualTo("failed");
    assertThat(member("a").status().waitingFor()).isEqualTo("gate:go");
  }

  @Test
  void aLoadedFleetFileRunsWithItsSharedGateInEveryMemberPlan() throws Exception {
    // given the loader's fleet: timesheets, then finance (a template, depending on timesheets)
    // behind the shared gate wave-downtime in night-1; hr (a template) in night-2
    Fleet fleet =
        dev.cutover.fleet.load.FleetLoader.load(
            java.nio.file.Path.of("src/test/resources/fleets/good/fleet.yaml"));
    FleetWorkflow workflow = start(fleet);

    // when timesheets, the only member in flight, waits at the shared gate
    FleetStatus open = await(workflow, s -> "gate:wave-downtime".equals(s.waitingFor()));
    assertThat(service(open, "finance").waitingFor()).isEqualTo("dependsOn timesheets");

    // then one approval lets it on; finance, started after it, passes the approved gate at once
    workflow.approveGate(new ApproveRequest("wave-downtime", "drained", "alice"));
    await(workflow, s -> "gate:go".equals(service(s, "finance").waitingFor()));
    assertThat(run.commands).contains("echo \"${HOME}\" && pg_dump finance > /tmp/finance.dump");
    member("finance-move").approveGate(new ApproveRequest("go", "ok", "bob"));
    await(workflow, s -> "gate:go".equals(service(s, "hr").waitingFor()));
    member("hr-move").approveGate(new ApproveRequest("go", "ok", "bob"));

    FleetResult result = result(fleet);
    assertThat(result.state()).isEqualTo("completed");
    assertThat(memberGate("finance-move", "wave-downtime").by())
        .isEqualTo("fleet office-move: alice");
  }

  @Test
  void anEventFromAWorkflowThatIsNoMemberIsNotedAndIgnored() {
    // given a fleet whose one member waits at its own gate
    Fleet fleet =
        new Fleet(
            FLEET,
            null,
            10,
            FleetFailurePolicy.HOLD,
            List.of(new FleetWave("one", List.of("a"), List.of())),
            List.of(service("a", "one", plan("a", true, false))));
    FleetWorkflow workflow = start(fleet);
    await(workflow, state("a", "at-gate"));

    // when a workflow that is no member says it is blocked
    workflow.memberEvent(
        new MemberEvent(
            "cutover-stranger", MemberEventKind.BLOCKED, "downtime", null, "move", "boom"));
    FleetStatus status =
        await(workflow, s -> s.notes().stream().anyMatch(n -> n.contains("cutover-stranger")));

    // then it is noted, and the fleet neither holds nor shows the stranger
    assertThat(status.state()).isEqualTo("running");
    assertThat(status.waitingFor()).isEmpty();
    assertThat(status.services()).extracting(FleetServiceStatus::name).containsExactly("a");
    assertThat(status.notes()).anyMatch(n -> n.contains("not a member"));

    // when strangers and bad approvals keep coming
    var untyped = client.newUntypedWorkflowStub(FleetNames.fleetWorkflowId(FLEET));
    for (int i = 0; i < 30; i++) {
      workflow.memberEvent(
          new MemberEvent("cutover-x" + i, MemberEventKind.AT_GATE, "prepare", "go", null, null));
      untyped.signal(
          CutoverNames.SIGNAL_APPROVE, new ApproveRequest("nope-" + i, "x".repeat(5000), null));
    }
    FleetStatus flooded =
        await(workflow, s -> s.notes().stream().anyMatch(n -> n.contains("nope-29")));

    // then the notes stay bounded and short, and a is untouched
    assertThat(flooded.notes()).hasSizeLessThanOrEqualTo(FleetStatus.MAX_NOTES);
    assertThat(flooded.notes()).allSatisfy(n -> assertThat(n.length()).isLessThan(600));
    assertThat(service(flooded, "a").waitingFor()).isEqualTo("gate:go");

    member("a").approveGate(new ApproveRequest("go", "ok", "bob"));
    assertThat(result(fleet).state()).isEqualTo("completed");
  }
}
