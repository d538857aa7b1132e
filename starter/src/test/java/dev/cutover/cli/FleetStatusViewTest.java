package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.fleet.FleetServiceStatus;
import dev.cutover.fleet.FleetStatus;
import dev.cutover.fleet.FleetWaveStatus;
import dev.cutover.fleet.SharedGateStatus;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code cutover fleet status} as text, without a server. */
class FleetStatusViewTest {
  private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

  @Test
  void anOpenSharedGateComesWithTheOneCommandForTheWaveAndEachMemberWithItsOwnLine() {
    // given a wave whose two members wait at the shared gate, and a second wave pending
    FleetStatus status =
        new FleetStatus(
            "newroco",
            "four VMs",
            "running",
            "gate:wave-downtime",
            List.of(
                new FleetWaveStatus(
                    "night-1",
                    "running",
                    List.of(
                        new SharedGateStatus(
                            "wave-downtime", "downtime", "open", List.of(), null, null, null)),
                    T0,
                    null),
                new FleetWaveStatus("night-2", "pending", List.of(), null, null)),
            List.of(
                service("finance", "night-1", "at-gate", "gate:wave-downtime"),
                service("hr", "night-1", "at-gate", "gate:wave-downtime"),
                service("tenders", "night-2", "waiting", "wave night-1")),
            List.of("refused approve of gate nope: no such shared gate"));
    Set<String> shared = FleetStatusView.sharedGates(status);
    Map<String, FleetMemberLine> members =
        Map.of(
            "finance",
            FleetStatusView.member(
                status.services().get(0),
                member("gate:wave-downtime", "cutover approve ..."),
                shared),
            "hr",
            FleetStatusView.member(
                status.services().get(1),
                member("gate:wave-downtime", "cutover approve ..."),
                shared));

    // when it is rendered for a live fleet
    String text = FleetStatusView.render("fleet-newroco", status, members, true);

    // then the fleet says what it waits for and the one command that approves the whole wave
    assertThat(text)
        .contains("Fleet newroco  (fleet-newroco)")
        .contains("State:  running    Waiting for: gate:wave-downtime")
        .contains("cutover fleet approve fleet-newroco wave-downtime --comment '...'")
        .contains("Send an Update 'approveGate' with {\"gate\": \"wave-downtime\"")
        .contains("shared gate wave-downtime before downtime: open")
        .containsPattern("finance +at-gate +prepare +gate:wave-downtime +cutover-finance")
        .contains(
            "its own status: waiting for gate, phase prepare, step -, waiting for gate:wave-downtime")
        .containsPattern("tenders +waiting")
        .contains("Notes:\n  - refused approve of gate nope");
    // and no member's own approve hint, which would approve one member of the wave only
    assertThat(text).doesNotContain("cutover approve ...");
  }

  @Test
  void aBlockedMemberShowsTheDecisionItWaitsForAndAnApprovedGateWhoApprovedIt() {
    // given a held fleet: one member blocked, the wave's gate approved earlier
    FleetStatus status =
        new FleetStatus(
            "newroco",
            null,
            "held",
            "decision:finance/restore",
            List.of(
                new FleetWaveStatus(
                    "night-1",
                    "held",
                    List.of(
                        new SharedGateStatus(
                            "wave-downtime",
                            "downtime",
                            "approved",
                            List.of(),
                            "alice@ops (cutover cli)",
                            "all drained",
                            T0)),
                    T0,
                    null)),
            List.of(service("finance", "night-1", "blocked", "decision:restore")),
            List.of());
    FleetMemberLine finance =
        FleetStatusView.member(
            status.services().get(0),
            member(
                "decision:restore",
                "cutover decide cutover-finance restore retry|skip|abort  |  in the UI ..."),
            FleetStatusView.sharedGates(status));

    // when it is rendered
    String text = FleetStatusView.render("fleet-newroco", status, Map.of("finance", finance), true);

    // then the decision's command is there, and who approved the shared gate
    assertThat(text)
        .contains("State:  held    Waiting for: decision:finance/restore")
        .contains("approved at 2026-12-07T01:00:00Z by alice@ops (cutover cli): all drained")
        .contains("      cutover decide cutover-finance restore retry|skip|abort\n")
        .doesNotContain("in the UI ...")
        .doesNotContain("is open; one approval");
  }

  private static FleetServiceStatus service(
      String name, String wave, String state, String waitingFor) {
    return new FleetServiceStatus(
        name, wave, "cutover-" + name, state, "prepare", waitingFor, null, T0, null);
  }

  private static MigrationStatus member(String waitingFor, String nextAction) {
    return new MigrationStatus(
        "m",
        waitingFor.startsWith("gate:") ? MigrationState.WAITING_FOR_GATE : MigrationState.BLOCKED,
        "prepare",
        null,
        waitingFor,
        nextAction,
        null,
        List.of(),
        List.of(),
        null,
        List.of(),
        0,
        0,
        List.of(),
        List.of(),
        null,
        false,
        List.of(),
        null);
  }
}
