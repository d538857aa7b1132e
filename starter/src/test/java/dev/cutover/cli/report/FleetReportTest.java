package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.fleet.Fleet;
import dev.cutover.fleet.FleetFailurePolicy;
import dev.cutover.fleet.FleetService;
import dev.cutover.fleet.FleetWave;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.PlanLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet report from its members' reports: every service's window, the wave's (first down to
 * last up), the sum and the longest, in every format.
 */
class FleetReportTest {
  private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

  @TempDir Path dir;

  @Test
  void aWavesWindowRunsFromItsFirstServiceDownToItsLastUpBesideTheSumAndTheLongest()
      throws Exception {
    // given a wave of three services whose downtimes overlap, and a second wave never started
    Fleet fleet =
        fleet(
            List.of(
                new FleetWave("night-1", List.of("finance", "hr", "tenders"), List.of()),
                new FleetWave("night-2", List.of("timesheets"), List.of())));
    Map<String, MigrationReport> members =
        Map.of(
            "finance", member("cutover-finance", "completed", down(0, 40)),
            "hr", member("cutover-hr", "completed", down(5, 30)),
            "tenders", member("cutover-tenders", "completed", down(10, 70)));

    // when the report is built
    FleetReport r = FleetReportBuilder.of("fleet-newroco", fleet, "completed", members, List.of());

    // then each service has its own window
    assertThat(r.services())
        .extracting(FleetServiceWindow::name, FleetServiceWindow::downtime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("finance", Duration.ofSeconds(40)),
            org.assertj.core.groups.Tuple.tuple("hr", Duration.ofSeconds(25)),
            org.assertj.core.groups.Tuple.tuple("tenders", Duration.ofSeconds(60)),
            org.assertj.core.groups.Tuple.tuple("timesheets", null));
    assertThat(r.services().get(3).outcome()).isEqualTo("not started");
    // and the wave's window is first down (0s) to last up (70s), not the sum (125s)
    FleetWaveWindow night1 = r.waves().get(0);
    assertThat(night1.startedAt()).isEqualTo(T0);
    assertThat(night1.endedAt()).isEqualTo(T0.plusSeconds(70));
    assertThat(night1.window()).isEqualTo(Duration.ofSeconds(70));
    assertThat(night1.sumOfServices()).isEqualTo(Duration.ofSeconds(125));
    assertThat(night1.longest()).isEqualTo(Duration.ofSeconds(60));
    assertThat(night1.longestService()).isEqualTo("tenders");
    // and the wave that never ran has no window
    assertThat(r.waves().get(1).window()).isNull();
    assertThat(r.waves().get(1).sumOfServices()).isNull();
    // and the fleet's totals are over all services
    assertThat(r.window()).isEqualTo(Duration.ofSeconds(70));
    assertThat(r.sumOfServices()).isEqualTo(Duration.ofSeconds(125));
    assertThat(r.longestService()).isEqualTo("tenders");

    // when it is written in each format
    String text = FleetReportRenderer.render(ReportFormat.TEXT, r);
    String md = FleetReportRenderer.render(ReportFormat.MD, r);
    String html = FleetReportRenderer.render(ReportFormat.HTML, r);
    JsonNode json = new ObjectMapper().readTree(FleetReportRenderer.render(ReportFormat.JSON, r));

    // then each says the window beside the sum and the longest
    assertThat(text)
        .contains("Fleet report: newroco  (fleet-newroco)")
        .contains(
            "Wave night-1: window 1m10s; the services' windows add up to 2m5s; the longest is 1m (tenders)")
        .containsPattern(
            "(?m)^  tenders +completed +2026-12-07T01:00:10Z +2026-12-07T01:01:10Z +1m$")
        .containsPattern("timesheets +not started .* never started");
    assertThat(md).contains("## Wave night-1").contains("| tenders | completed |");
    assertThat(html).contains("<h2>Wave night-1</h2>").contains("class=\"bar\"");
    assertThat(json.get("waves").get(0).get("window").asText()).isEqualTo("PT1M10S");
    assertThat(json.get("sumOfServices").asText()).isEqualTo("PT2M5S");
    assertThat(json.get("services").get(2).get("downtime").asText()).isEqualTo("PT1M");
  }

  @Test
  void aServiceStillDownLeavesTheWavesWindowOpen() throws Exception {
    // given one service back up and one still down
    Fleet fleet = fleet(List.of(new FleetWave("night-1", List.of("finance", "hr"), List.of())));
    Map<String, MigrationReport> members =
        Map.of(
            "finance", member("cutover-finance", "completed", down(0, 40)),
            "hr",
                member(
                    "cutover-hr",
                    "running",
                    new DowntimeReport(T0.plusSeconds(5), null, null, null, false)));

    // when the report is built
    FleetReport r =
        FleetReportBuilder.of("fleet-newroco", fleet, "running", members, List.of("a note"));

    // then the wave has started but not ended, and hr says it is still down
    assertThat(r.waves().get(0).startedAt()).isEqualTo(T0);
    assertThat(r.waves().get(0).endedAt()).isNull();
    assertThat(r.waves().get(0).window()).isNull();
    assertThat(r.services().get(1).note()).isEqualTo("still down");
    assertThat(FleetReportRenderer.render(ReportFormat.TEXT, r))
        .contains("window still open; the services' windows add up to 40s")
        .contains("Notes:\n  - a note");
  }

  @Test
  void namesFromTheHistoriesCannotDriveTheTerminalOrInjectMarkup() throws Exception {
    // given a member outcome and a note carrying escapes and markup
    Fleet fleet = fleet(List.of(new FleetWave("night-1", List.of("finance"), List.of())));
    Map<String, MigrationReport> members =
        Map.of("finance", member("cutover-finance", "done\u001b[2J<script>", down(0, 1)));
    FleetReport r =
        FleetReportBuilder.of(
            "fleet-newroco", fleet, "completed", members, List.of("<img src=x>\u001b]0;x\u0007"));

    // then no format carries the raw escape, and HTML no live tag
    for (ReportFormat f : ReportFormat.values()) {
      assertThat(FleetReportRenderer.render(f, r)).doesNotContain("\u001b");
    }
    assertThat(FleetReportRenderer.render(ReportFormat.HTML, r))
        .doesNotContain("<script>")
        .doesNotContain("<img");
  }

  private Fleet fleet(List<FleetWave> waves) throws Exception {
    List<FleetService> services = new java.util.ArrayList<>();
    for (FleetWave w : waves) {
      for (String name : w.services()) {
        services.add(new FleetService(name, w.name(), List.of(), plan(name), "plans/x.yaml"));
      }
    }
    return new Fleet("newroco", "four VMs", 4, FleetFailurePolicy.HOLD, waves, services);
  }

  private Plan plan(String name) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        """
        migration: %s
        hosts: {old: {transport: local}}
        phases:
          downtime: {steps: [{name: settle, kind: wait, duration: 1s}]}
        """
            .formatted(name));
    return PlanLoader.load(file);
  }

  private static DowntimeReport down(int fromSecond, int toSecond) {
    return new DowntimeReport(
        T0.plusSeconds(fromSecond),
        T0.plusSeconds(toSecond),
        Duration.ofSeconds(toSecond - fromSecond),
        null,
        false);
  }

  private static MigrationReport member(String id, String outcome, DowntimeReport downtime) {
    return new MigrationReport(
        id,
        id.substring("cutover-".length()),
        null,
        outcome,
        null,
        T0,
        null,
        null,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        downtime,
        List.of(),
        0,
        List.of(),
        List.of());
  }
}
