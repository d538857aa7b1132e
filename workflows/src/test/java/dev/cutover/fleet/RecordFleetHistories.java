package dev.cutover.fleet;

import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.DecideRequest;
import dev.cutover.workflow.DecisionAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records a fleet's history and one member's (with the fleet-member-events marker) for {@code
 * ReplayTest}: {@code ./mvnw -pl workflows -am test -Dtest=RecordFleetHistories
 * -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcutover.recordHistories=$PWD/workflows/src/test/resources/histories/v8}
 */
@EnabledIfSystemProperty(named = "cutover.recordHistories", matches = ".+")
class RecordFleetHistories extends FleetTestSupport {

  @Test
  void fleetWithASharedGateAHoldAndTwoWaves() throws Exception {
    // a blocks once and is retried; b waits at its own gate, then all three meet the shared gate;
    // c, in wave two, depends on a
    run.failing.add("move-a");
    Fleet fleet =
        new Fleet(
            FLEET,
            "recorded",
            10,
            FleetFailurePolicy.HOLD,
            List.of(
                new FleetWave(
                    "one",
                    List.of("a", "b"),
                    List.of(new SharedGate(SHARED, "downtime", "approve the wave"))),
                new FleetWave("two", List.of("c"), List.of())),
            List.of(
                service("a", "one", plan("a", false, true)),
                service("b", "one", plan("b", true, true)),
                service("c", "two", plan("c", false, false), "a")));
    FleetWorkflow workflow = start(fleet);
    await(workflow, state("a", "at-gate").and(state("b", "at-gate")));
    member("b").approveGate(new ApproveRequest("go", "ok", "bob"));
    await(workflow, s -> "gate:wave-downtime".equals(s.waitingFor()));
    client
        .newUntypedWorkflowStub(FleetNames.fleetWorkflowId(FLEET))
        .signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest(SHARED, "drained", "alice"));
    await(workflow, s -> s.state().equals("held"));
    run.failing.clear();
    member("a").decideStep(new DecideRequest("move", DecisionAction.RETRY, "fixed", "bob"));
    result(fleet);
    save(FleetNames.fleetWorkflowId(FLEET), "fleet-shared-gate-hold.json");
    save(FleetNames.memberWorkflowId("a"), "fleet-member-gate-and-decision.json");
  }

  private void save(String workflowId, String name) throws Exception {
    Path dir = Path.of(System.getProperty("cutover.recordHistories"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), client.fetchHistory(workflowId).toJson(true));
  }
}
