package dev.cutover.fleet.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.fleet.Fleet;
import dev.cutover.fleet.FleetFailurePolicy;
import dev.cutover.fleet.FleetService;
import dev.cutover.fleet.FleetWave;
import dev.cutover.fleet.SharedGate;
import dev.cutover.plan.Gate;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Step;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.steps.run.RunSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void aDependencyCycleIsNamedAtTheEntryThatClosesIt() {
    assertThat(problems("bad/cycle.yaml"))
        .containsExactly(
            "bad/cycle.yaml:12:29: services[2].dependsOn[1]: dependency cycle: finance -> hr -> finance");
  }

  @Test
  void aServiceDependingOnItselfIsACycle(@TempDir Path dir) throws IOException {
    // given
    Path file =
        write(
            dir,
            """
            fleet: self
            services:
              - name: timesheets
                plan: %s
                dependsOn: [timesheets]
            waves:
              - name: night-1
                services: [timesheets]
            """
                .formatted(FLEETS.resolve("good/plans/timesheets.yaml")));

    // when / then
    assertThat(problemsOf(file))
        .containsExactly(
            "fleet.yaml:5:17: services[0].dependsOn[0]: dependency cycle: timesheets -> timesheets (a service depends on itself)");
  }

  @Test
  void aServiceInTwoWavesIsRefusedAtTheSecond() {
    assertThat(problems("bad/two-waves.yaml"))
        .containsExactly(
            "bad/two-waves.yaml:9:16: waves[1].services[0]: service 'timesheets' is already in wave 'night-1': a service is in exactly one wave");
  }

  @Test
  void aServiceInNoWaveIsRefusedAtTheService() {
    assertThat(problems("bad/no-wave.yaml"))
        .containsExactly(
            "bad/no-wave.yaml:7:11: services[1].name: service 'finance' is in no wave: add it to the services of one of the waves");
  }

  @Test
  void anEmptyWaveIsRefused() {
    assertThat(problems("bad/empty-wave.yaml"))
        .containsExactly(
            "bad/empty-wave.yaml:9:15: waves[1].services: wave 'night-2' is empty: a wave moves at least one service");
  }

  @Test
  void aMissingTemplateValueIsRefusedAtItsFirstUseInTheTemplateNamingTheService() {
    assertThat(problems("bad/missing-value.yaml"))
        .containsExactly(
            "good/templates/app.yaml:14:20: ${db}: no value for ${db}: add db to the service's values (service finance)");
  }

  @Test
  void aValueTheTemplateNeverUsesIsRefusedAsATypo() {
    assertThat(problems("bad/unused-value.yaml"))
        .containsExactly(
            "bad/unused-value.yaml:11:7: services[0].values.dbb: template 'app' has no ${dbb} (did you mean 'db'?); its placeholders: db, new, old, service");
  }

  @Test
  void valuesThatWouldChangeTheTemplatesShapeAreRefused() {
    assertThat(problems("bad/bad-values.yaml"))
        .containsExactly(
            "bad/bad-values.yaml:8:7: services[0].values.old: a template value is one line: it is inserted as it is, and lines are YAML's",
            "bad/bad-values.yaml:9:7: services[0].values.new: a template value cannot hold '${': values are inserted once, not filled again",
            "bad/bad-values.yaml:11:7: services[0].values.service: ${service} is the service's name, 'finance'; it takes no value");
  }

  @Test
  void aValueOverTheLimitIsRefused(@TempDir Path dir) throws IOException {
    // given
    String longValue = "a".repeat(FleetLimits.MAX_VALUE_CHARS + 1);
    Path file =
        write(
            dir,
            """
            fleet: long-value
            templates: {app: %s}
            services:
              - name: finance
                template: app
                values: {old: %s, new: b, db: finance}
            waves:
              - name: night-1
                services: [finance]
            """
                .formatted(FLEETS.resolve("good/templates/app.yaml"), longValue));

    // when / then
    assertThat(problemsOf(file))
        .containsExactly(
            "fleet.yaml:6:14: services[0].values.old: the value is 1001 characters; a template value may be at most 1000");
  }

  @Test
  void unknownTemplatesServicesAndWaveMembersAreAllReportedAtOnce() {
    assertThat(problems("bad/unknown-names.yaml"))
        .containsExactly(
            "bad/unknown-names.yaml:8:15: services[1].template: unknown template 'ap' (did you mean 'app'?); templates: app",
            "bad/unknown-names.yaml:9:17: services[1].dependsOn[0]: unknown service 'timesheet' (did you mean 'timesheets'?); services: finance, timesheets",
            "bad/unknown-names.yaml:12:37: waves[0].services[2]: unknown service 'tenders'; services: finance, timesheets");
  }

  @Test
  void aDependencyOnALaterWaveIsRefused() {
    assertThat(problems("bad/later-wave.yaml"))
        .containsExactly(
            "bad/later-wave.yaml:7:17: services[0].dependsOn[0]: 'finance' is in wave 'night-2', after this service's wave 'night-1': a service can depend only on services of its own wave or an earlier one");
  }

  @Test
  void twoServicesMovingTheSameMigrationAreRefused() {
    assertThat(problems("bad/same-migration.yaml"))
        .containsExactly(
            "bad/same-migration.yaml:6:11: services[1].plan: service 'timesheets-again' moves migration 'timesheets-move', as service 'timesheets' does: both would run as workflow cutover-timesheets-move; give each plan its own migration name");
  }

  @Test
  void aSharedGateBeforeAPhaseAMemberLacksIsRefused() {
    assertThat(problems("bad/gate-phase.yaml"))
        .containsExactly(
            "bad/gate-phase.yaml:15:17: waves[0].gates[0].before: service 'timesheets' has no phase 'switch' (its phases: downtime): a shared gate stands before a phase every member of the wave has",
            "bad/gate-phase.yaml:17:17: waves[0].gates[1].before: 'later' is not a phase; phases: prepare, lower-ttl, presync, downtime, switch, verify, monitor, finish");
  }

  @Test
  void aSharedGateNamedLikeAMembersGateOrAnotherSharedGateIsRefused() {
    assertThat(problems("bad/gate-clash.yaml"))
        .containsExactly(
            "bad/gate-clash.yaml:15:15: waves[0].gates[0].name: service 'finance' has a gate 'go' of its own: name the shared gate differently",
            "bad/gate-clash.yaml:20:15: waves[1].gates[0].name: duplicate shared gate 'go' (also in wave 'night-1'): gate names are unique in the fleet",
            "bad/gate-clash.yaml:20:15: waves[1].gates[0].name: service 'hr' has a gate 'go' of its own: name the shared gate differently");
  }

  @Test
  void concurrencyOutOfRangeIsRefused() {
    assertThat(problems("bad/concurrency.yaml"))
        .containsExactly(
            "bad/concurrency.yaml:2:14: concurrency: concurrency 0 is out of range: at least 1, at most 500");
  }

  @Test
  void unknownKeysAndValuesAreRefusedWithASuggestion() {
    assertThat(problems("bad/unknown-key.yaml"))
        .containsExactly(
            "bad/unknown-key.yaml:2:1: concurency: unknown field 'concurency' (did you mean 'concurrency'?); expected one of: fleet, description, concurrency, onFailure, templates, services, waves",
            "bad/unknown-key.yaml:3:12: onFailure: unknown value 'stop'; expected one of: hold, continue",
            "bad/unknown-key.yaml:7:5: services[0].dependOn: unknown field 'dependOn' (did you mean 'dependsOn'?); expected one of: name, plan, template, values, dependsOn");
  }

  @Test
  void aServiceNeedsExactlyOneOfPlanAndTemplate() {
    assertThat(problems("bad/plan-and-template.yaml"))
        .containsExactly(
            "bad/plan-and-template.yaml:5:5: services[0]: service 'timesheets' has both a plan and a template: keep one",
            "bad/plan-and-template.yaml:8:5: services[1]: service 'finance' needs a plan or a template: write one of them");
  }

  @Test
  void aMembersOwnProblemsAreAtTheTemplatesPositionsNamingEachService() {
    // given: a template whose line 12 holds a placeholder before the misspelt key, so the column
    // in the filled text is not the template's

    // when / then
    assertThat(problems("bad/member-invalid.yaml"))
        .containsExactly(
            "bad/templates/broken.yaml:10:15: phases.downtime.steps[0].host: unknown host 'a.example'; hosts in this plan: old (service finance)",
            "bad/templates/broken.yaml:12:43: phases.downtime.steps[0].retry.backof: unknown field 'backof' (did you mean 'backoff'?); expected one of: maxAttempts, initialInterval, backoff, maxInterval (services finance, hr)",
            "bad/templates/broken.yaml:10:15: phases.downtime.steps[0].host: unknown host 'b.example'; hosts in this plan: old (service hr)");
  }

  @Test
  void aDollarBraceThatIsNoPlaceholderIsRefusedOnceForTheTemplate() {
    assertThat(problems("bad/shell-var.yaml"))
        .containsExactly(
            "bad/templates/shell-var.yaml:11:23: template: '${' opens no placeholder here: a placeholder is ${name} (lower case letters, digits, '_' and '-'); write $${ for a literal ${");
  }

  @Test
  void moreServicesThanTheLimitAreRefusedBeforeAnyPlanIsRead(@TempDir Path dir) throws IOException {
    // given
    StringBuilder text = new StringBuilder("fleet: big\nservices:\n");
    for (int i = 0; i <= FleetLimits.MAX_SERVICES; i++) {
      text.append("  - {name: s").append(i).append(", plan: missing.yaml}\n");
    }
    text.append("waves:\n  - {name: w, services: [s0]}\n");
    Path file = write(dir, text.toString());

    // when / then
    assertThat(problemsOf(file))
        .containsExactly(
            "fleet.yaml:3:3: services: 501 services: a fleet may have at most 500; split it into fleets");
  }

  @Test
  void aFleetTooLargeForOneWorkflowInputIsRefused(@TempDir Path dir) throws IOException {
    // given: 300 services whose plans are about 6 KB each as the workflow's input
    Files.writeString(
        dir.resolve("big.yaml"),
        """
        migration: ${service}
        hosts: {old: {address: old.example}}
        phases:
          downtime:
            steps:
              - {name: pad, kind: run, host: old, command: "echo %s"}
        """
            .formatted("x".repeat(6000)));
    StringBuilder text = new StringBuilder("fleet: large\ntemplates: {big: big.yaml}\nservices:\n");
    StringBuilder wave = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      text.append("  - {name: s").append(i).append(", template: big}\n");
      wave.append(i == 0 ? "" : ", ").append("s").append(i);
    }
    text.append("waves:\n  - {name: w, services: [").append(wave).append("]}\n");
    Path file = write(dir, text.toString());

    // when
    List<String> problems = problemsOf(file);

    // then
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0))
        .startsWith("fleet.yaml:4:3: services: the fleet is too large for Temporal to hold: ")
        .endsWith(
            " bytes as the workflow's input (every member plan), at most 1572864; split it into fleets");
  }

  @Test
  void aMissingPlanOrTemplateFileIsReportedAtTheFleetFile(@TempDir Path dir) throws IOException {
    // given
    Path file =
        write(
            dir,
            """
            fleet: missing-files
            templates:
              app: templates/nowhere.yaml
            services:
              - name: timesheets
                plan: plans/nowhere.yaml
              - name: finance
                template: app
            waves:
              - name: night-1
                services: [timesheets, finance]
            """);

    // when / then
    assertThat(problemsOf(file))
        .containsExactly(
            "fleet.yaml:3:3: templates.app: cannot read template 'app' (templates/nowhere.yaml): no such file",
            "fleet.yaml:6:11: services[0].plan: cannot read the plan: no such file plans/nowhere.yaml");
  }

  @Test
  void everyExampleFleetLoadsWithoutProblems() throws IOException {
    // given: tests run in the module directory; the repository root is its parent
    List<Path> fleets;
    try (Stream<Path> dirs = Files.list(Path.of("..", "examples"))) {
      fleets =
          dirs.filter(d -> d.getFileName().toString().startsWith("fleet-"))
              .map(d -> d.resolve("fleet.yaml"))
              .sorted()
              .toList();
    }
    assertThat(fleets).as("example fleets under examples/fleet-*/").isNotEmpty();

    // when
    List<String> problems = new ArrayList<>();
    for (Path fleet : fleets) {
      try {
        FleetLoader.load(fleet);
      } catch (InvalidPlanException e) {
        problems.add(e.getMessage());
      }
    }

    // then
    assertThat(problems).as("problems in example fleets").isEmpty();
  }

  @Test
  void runbook000MovesFourVmsInOneWaveAfterTheirNames() throws Exception {
    // when
    Fleet fleet = FleetLoader.load(Path.of("..", "examples", "fleet-000", "fleet.yaml"));

    // then
    assertThat(fleet.waves()).extracting(FleetWave::name).containsExactly("names", "night");
    assertThat(fleet.waves().get(1).services())
        .containsExactly("timesheets", "finance", "hr", "tenders");
    for (String vm : List.of("timesheets", "finance", "hr", "tenders")) {
      FleetService service = fleet.service(vm);
      assertThat(service.dependsOn()).containsExactly("names");
      assertThat(service.workflowId()).isEqualTo("cutover-newroco-" + vm);
      assertThat(service.plan().gates())
          .extracting(Gate::name)
          .containsExactly("go-for-downtime", "go-for-switch", "functions-tested");
    }
    assertThat(fleet.service("hr").plan().phases().steps(PhaseName.SWITCH).get(0).spec())
        .hasFieldOrPropertyWithValue("value", "192.0.2.13");
  }

  @Test
  void theFleetExampleInPlanMdLoads(@TempDir Path dir) throws Exception {
    // given: the first yaml block of "## Fleets", beside the example fleet's plans and templates
    String doc = Files.readString(Path.of("..", "docs", "plan.md"));
    String fleets = doc.substring(doc.indexOf("\n## Fleets\n"));
    Matcher block = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(fleets);
    assertThat(block.find()).as("a ```yaml block under ## Fleets in docs/plan.md").isTrue();
    Path example = Path.of("..", "examples", "fleet-000");
    for (String sub : List.of("plans", "templates")) {
      Files.createDirectories(dir.resolve(sub));
      try (Stream<Path> files = Files.list(example.resolve(sub))) {
        for (Path f : files.toList()) {
          Files.copy(f, dir.resolve(sub).resolve(f.getFileName()));
        }
      }
    }
    Path file = write(dir, block.group(1));

    // when
    Fleet fleet = FleetLoader.load(file);

    // then
    assertThat(fleet.services()).extracting(FleetService::name).containsExactly("names", "hr");
    assertThat(fleet.service("hr").plan().gates())
        .extracting(Gate::name)
        .containsExactly("go-for-downtime");
  }

  @Test
  void aFleetFileThatIsNotYamlIsRefusedAtTheSyntaxError(@TempDir Path dir) throws IOException {
    // given
    Path file = write(dir, "fleet: broken\nservices: [a, b\nwaves: []\n");

    // when
    List<String> problems = problemsOf(file);

    // then
    assertThat(problems)
        .containsExactly(
            "fleet.yaml:3:6: (fleet): not valid YAML: while parsing a flow sequence, expected ',' or ']', but got :");
  }

  @Test
  void aFleetFileThatIsNotAMappingOrIsEmptyIsRefused(@TempDir Path dir) throws IOException {
    // given
    Path list = write(dir, "- fleet: a\n");
    Path empty = dir.resolve("empty.yaml");
    Files.writeString(empty, "# nothing yet\n");

    // when / then
    assertThat(problemsOf(list))
        .containsExactly("fleet.yaml:1:1: (fleet): expected a mapping of fields, found a list");
    assertThat(problemsOf(empty))
        .containsExactly("empty.yaml:1:1: (fleet): the fleet file is empty");
  }

  @Test
  void moreWavesThanTheLimitAreRefused(@TempDir Path dir) throws IOException {
    // given
    StringBuilder text =
        new StringBuilder("fleet: waves\nservices:\n  - {name: a, plan: a.yaml}\n");
    text.append("waves:\n");
    for (int i = 0; i <= FleetLimits.MAX_WAVES; i++) {
      text.append("  - {name: w").append(i).append(", services: [a]}\n");
    }
    Path file = write(dir, text.toString());

    // when / then
    assertThat(problemsOf(file))
        .containsExactly("fleet.yaml:5:3: waves: 101 waves: a fleet may have at most 100");
  }

  @Test
  void aLongListOfKnownNamesIsCutInAMessage(@TempDir Path dir) throws IOException {
    // given: 25 services and a wave that names one more
    StringBuilder text = new StringBuilder("fleet: many\nservices:\n");
    StringBuilder wave = new StringBuilder();
    for (int i = 10; i < 35; i++) {
      text.append("  - {name: s").append(i).append(", plan: s.yaml}\n");
      wave.append("s").append(i).append(", ");
    }
    text.append("waves:\n  - {name: w, services: [").append(wave).append("nobody]}\n");
    Path file = write(dir, text.toString());

    // when
    List<String> problems = problemsOf(file);

    // then
    assertThat(problems)
        .filteredOn(p -> p.contains("unknown service"))
        .containsExactly(
            "fleet.yaml:29:151: waves[0].services[25]: unknown service 'nobody'; services: s10, s11, s12, s13, s14, s15, s16, s17, s18, s19, s20, s21, s22, s23, s24, s25, s26, s27, s28, s29, ... (25 in all)");
  }

  private static List<String> problems(String name) {
    return problemsOf(FLEETS.resolve(name), FLEETS);
  }

  private static List<String> problemsOf(Path file) {
    return problemsOf(file, file.getParent());
  }

  /** The formatted problems, file names relative to base. */
  private static List<String> problemsOf(Path file, Path base) {
    try {
      FleetLoader.load(file);
    } catch (InvalidPlanException e) {
      return e.problems().stream().map(p -> p.format().replace(base + "/", "")).toList();
    }
    throw new AssertionError(file + " loaded, but it should not");
  }

  private static Path write(Path dir, String text) throws IOException {
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(file, text);
    return file;
  }

  static Path resourceDir(String name) {
    try {
      return Path.of(FleetLoaderTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
