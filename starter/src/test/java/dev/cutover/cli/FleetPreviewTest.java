package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.fleet.Fleet;
import dev.cutover.fleet.FleetFailurePolicy;
import dev.cutover.fleet.FleetService;
import dev.cutover.fleet.FleetWave;
import dev.cutover.fleet.SharedGate;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.PlanLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutover fleet preview}: waves, shared gates, services and their phases, in run order. */
class FleetPreviewTest {
  @TempDir Path dir;

  @Test
  void showsWavesInOrderWithTheirSharedGatesAndEachServicesPhasesAndDependencies()
      throws Exception {
    // given two waves, the first with a shared gate, finance depending on timesheets
    SharedGate gate = new SharedGate("wave-downtime", "downtime", "all apps drained");
    Plan timesheets = plan("timesheets-move", true);
    Plan finance = plan("finance-move", true);
    Fleet fleet =
        new Fleet(
            "newroco",
            "Newroco: four VMs in one night",
            4,
            FleetFailurePolicy.HOLD,
            List.of(
                new FleetWave("night-1", List.of("timesheets", "finance"), List.of(gate)),
                new FleetWave("night-2", List.of("hr"), List.of())),
            List.of(
                new FleetService("timesheets", "night-1", List.of(), timesheets, "plans/ts.yaml"),
                new FleetService(
                    "finance",
                    "night-1",
                    List.of("timesheets"),
                    finance,
                    "template vm (templates/vm.yaml)"),
                new FleetService(
                    "hr", "night-2", List.of(), plan("hr-move", false), "plans/hr.yaml")));

    // when it is previewed
    String text = FleetPreview.render(fleet);

    // then the waves come in order, with the gate's one command, and every service in outline
    assertThat(text)
        .startsWith("Fleet newroco  (workflow fleet-newroco)\n  Newroco: four VMs in one night\n")
        .contains("3 service(s) in 2 wave(s), at most 4 in flight at once.")
        .contains("hold (start no other service")
        .contains(
            "  shared gate wave-downtime before downtime of every service of the wave: all apps drained")
        .contains("cutover fleet approve newroco wave-downtime --comment '...'")
        .contains("  finance  (cutover-finance-move, from template vm (templates/vm.yaml))")
        .contains("    after: timesheets (completed)")
        .contains("    phases: prepare (prep) -> downtime (settle)")
        .contains("    gates: wave-downtime before downtime (shared)")
        .contains("Wave 2: night-2  (starts when every service of the wave before has ended)");
    assertThat(text.indexOf("Wave 1: night-1")).isLessThan(text.indexOf("Wave 2: night-2"));
    assertThat(text.indexOf("  timesheets  (")).isLessThan(text.indexOf("  finance  ("));
  }

  /** With the shared gate in its gates, as the loader hands a wave's member over. */
  private Plan plan(String migration, boolean sharedGate) throws Exception {
    Path file = dir.resolve(migration + ".yaml");
    Files.writeString(
        file,
        """
        migration: %s
        hosts: {old: {transport: local}}
        %s
        phases:
          prepare:  {steps: [{name: prep, kind: run, host: old, command: echo ok}]}
          downtime: {steps: [{name: settle, kind: wait, duration: 1s}]}
        """
            .formatted(
                migration,
                sharedGate
                    ? "gates: [{name: wave-downtime, before: downtime, description: all apps drained}]"
                    : ""));
    return PlanLoader.load(file);
  }
}
