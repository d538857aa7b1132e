package dev.cutover.fleet;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;
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

/** A time-skipping Temporal with the fleet and migration workflows and a faked run activity. */
abstract class FleetTestSupport {
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
    worker.registerActivitiesImplementations(run, new PassingPreflight());
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

  GateStatus memberGate(String name, String gate) {
    MigrationStatus status = member(name).status();
    return status.gates().stream().filter(g -> g.name().equals(gate)).findFirst().orElseThrow();
  }

  static SharedGateStatus gateOf(FleetStatus status) {
    return status.waves().get(0).gates().get(0);
  }
}
