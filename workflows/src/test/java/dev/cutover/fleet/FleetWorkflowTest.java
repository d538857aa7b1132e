package dev.cutover.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.GateStatus;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.MigrationWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet workflow with real member migrations (their run steps faked): waves, dependencies, the
 * limit, shared gates, holds, abort. Every wait is on status, in virtual time.
 */
class FleetWorkflowTest {
  static final String FLEET = "night";
  static final String SHARED = "wave-downtime";

  TestWorkflowEnvironment env;
  WorkflowClient client;
  FleetRunActivities run;

  @BeforeEach
  void startEnvironment() {
    env = TestWorkflowEnvironment.newInstance();
    CutoverSearchAttributes.ALL.forEach(
        k -> env.registerSearchAttribute(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker worker = env.newWorker(CutoverNames.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        MigrationWorkflowImpl.class, FleetWorkflowImpl.class);
    run = new FleetRunActivities();
    worker.registerActivitiesImplementations(run);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stopEnvironment() {
    env.close();
  }

  /**
   * A member's plan: a prepare step with an undo, a downtime step; its own gate {@code go} before
   * prepare when asked, and the wave's shared gate before downtime when asked.
   */
  static Plan plan(String name, boolean ownGate, boolean sharedGate) {
    StringBuilder gates = new StringBuilder();
    if (ownGate) {
      gates.append("  - {name: go, before: prepare}\n");
    }
    if (sharedGate) {
      gates.append("  - {name: " + SHARED + ", before: downtime}\n");
    }
    String yaml =
        "migration: "
            + name
            + "\nhosts: {old: {}}\n"
            + (gates.isEmpty() ? "" : "gates:\n" + gates)
            + "phases:\n"
            + "  prepare:\n"
            + "    steps:\n"
            + "      - {name: prep, kind: run, host: old, command: prep-"
            + name
            + ", undo: {kind: run, host: old, command: undo-prep-"
            + name
            + "}}\n"
            + "  downtime:\n"
            + "    steps:\n"
            + "      - {name: move, kind: run, host: old, command: move-"
            + name
            + ", retry: {maxAttempts: 1}}\n";
    try {
      return PlanLoader.parse(name + ".yaml", yaml);
    } catch (InvalidPlanException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static FleetService service(String name, String wave, Plan plan, String... dependsOn) {
    return new FleetService(name, wave, List.of(dependsOn), plan, name + ".yaml");
  }

  FleetWorkflow start(Fleet fleet) {
    String id = FleetNames.fleetWorkflowId(fleet.fleet());
    FleetWorkflow stub =
        client.newWorkflowStub(
            FleetWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(CutoverNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(stub::run, new FleetInput(fleet));
    return client.newWorkflowStub(FleetWorkflow.class, id);
  }

  FleetResult result(Fleet fleet) {
    return client
        .newUntypedWorkflowStub(FleetNames.fleetWorkflowId(fleet.fleet()))
        .getResult(FleetResult.class);
  }

  MigrationWorkflow member(String name) {
    return client.newWorkflowStub(MigrationWorkflow.class, FleetNames.memberWorkflowId(name));
  }

  /** Lets virtual time pass in growing steps until the fleet's status matches. */
  FleetStatus await(FleetWorkflow fleet, Predicate<FleetStatus> condition) {
    Duration step = Duration.ofMillis(100);
    for (int i = 0; i < 200; i++) {
      FleetStatus status = fleet.status();
      if (condition.test(status)) {
        return status;
      }
      env.sleep(step);
      step = step.compareTo(Duration.ofMinutes(1)) > 0 ? step : step.multipliedBy(2);
    }
    throw new AssertionError("fleet status never matched; last: " + fleet.status());
  }

  static FleetServiceStatus service(FleetStatus status, String name) {
    return status.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  static FleetServiceStatus service(FleetResult result, String name) {
    return result.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  static Predicate<FleetStatus> state(String name, String state) {
    return s -> service(s, name).state().equals(state);
  }

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

  private GateStatus memberGate(String name, String gate) {
    MigrationStatus status = member(name).status();
    return status.gates().stream().filter(g -> g.name().equals(gate)).findFirst().orElseThrow();
  }

  private static SharedGateStatus gateOf(FleetStatus status) {
    return status.waves().get(0).gates().get(0);
  }
}
