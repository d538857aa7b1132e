package dev.cutover.fleet.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.fleet.Fleet;
import dev.cutover.fleet.FleetFailurePolicy;
import dev.cutover.fleet.FleetService;
import dev.cutover.fleet.SharedGate;
import dev.cutover.plan.Gate;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Step;
import dev.cutover.steps.run.RunSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FleetLoaderTest {
  private static final Path FLEETS = resourceDir("/fleets");

  @Test
  void aGoodFleetLoadsWithTemplatesFilledAndSharedGatesAdded() throws Exception {
    // given
    Path file = FLEETS.resolve("good/fleet.yaml");

    // when
    Fleet fleet = FleetLoader.load(file);

    // then
    assertThat(fleet.fleet()).isEqualTo("office-move");
    assertThat(fleet.description()).isEqualTo("Move the office apps");
    assertThat(fleet.concurrency()).isEqualTo(2);
    assertThat(fleet.onFailure()).isEqualTo(FleetFailurePolicy.CONTINUE);
    assertThat(fleet.services())
        .extracting(FleetService::name)
        .containsExactly("timesheets", "finance", "hr");
    assertThat(fleet.waves()).hasSize(2);
    assertThat(fleet.waves().get(0).services()).containsExactly("timesheets", "finance");
    assertThat(fleet.waves().get(0).gates())
        .containsExactly(new SharedGate("wave-downtime", "downtime", "all apps drained"));

    FleetService finance = fleet.service("finance");
    assertThat(finance.wave()).isEqualTo("night-1");
    assertThat(finance.dependsOn()).containsExactly("timesheets");
    assertThat(finance.source()).isEqualTo("template app (templates/app.yaml)");
    assertThat(finance.workflowId()).isEqualTo("cutover-finance-move");
    assertThat(finance.plan().hosts().get("old").address()).isEqualTo("10.0.0.5");
    assertThat(finance.plan().gates())
        .extracting(Gate::name)
        .containsExactly("go", "wave-downtime");
    assertThat(finance.plan().gates().get(1))
        .isEqualTo(new Gate("wave-downtime", "downtime", "all apps drained", null, null));
    Step dump = finance.plan().phases().steps(PhaseName.DOWNTIME).get(0);
    assertThat(dump.name()).isEqualTo("dump-finance");
    assertThat(((RunSpec) dump.spec()).command())
        .isEqualTo("echo \"${HOME}\" && pg_dump finance > /tmp/finance.dump");

    FleetService timesheets = fleet.service("timesheets");
    assertThat(timesheets.source()).isEqualTo("plans/timesheets.yaml");
    assertThat(timesheets.plan().gates()).extracting(Gate::name).containsExactly("wave-downtime");

    FleetService hr = fleet.service("hr");
    assertThat(hr.wave()).isEqualTo("night-2");
    assertThat(hr.plan().gates()).extracting(Gate::name).containsExactly("go");
    assertThat(hr.plan().migration()).isEqualTo("hr-move");
  }

  static Path resourceDir(String name) {
    try {
      return Path.of(FleetLoaderTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
