package dev.cutover.plan.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import dev.cutover.approval.AllowedSigner;
import dev.cutover.plan.BudgetAction;
import dev.cutover.plan.Gate;
import dev.cutover.plan.GateApprovalPolicy;
import dev.cutover.plan.Host;
import dev.cutover.plan.OnFailure;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Retry;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import dev.cutover.plan.Transport;
import dev.cutover.steps.run.RunSpec;
import dev.cutover.steps.wait.WaitSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlanLoaderTest {
  private static final Path VALID = resourceDir("/plans/valid");

  static Stream<String> validPlans() throws IOException {
    try (Stream<Path> files = Files.list(VALID)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validPlans")
  void everyValidFixtureLoads(String fileName) throws Exception {
    // Other modules' tests reuse these fixtures through the test jar, so a broken one breaks them
    // far away.
    Plan plan = PlanLoader.load(VALID.resolve(fileName));

    assertThat(plan).isNotNull();
    assertThat(plan.phases().present()).isNotEmpty();
  }

  @Test
  void aCompletePlanLoadsWithEveryValueAsWritten() throws Exception {
    // given
    Path file = VALID.resolve("complete.yaml");

    // when
    Plan plan = PlanLoader.load(file);

    // then
    assertThat(plan.migration()).isEqualTo("shop-move");
    assertThat(plan.description()).isEqualTo("Move the shop from the old VPS to the new one");

    assertThat(plan.hosts()).containsOnlyKeys("old", "new");
    assertThat(plan.hosts().get("old"))
        .isEqualTo(
            new Host(
                null,
                "old.example.net",
                "deploy",
                null,
                "Debian 10 VPS, retiring",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    assertThat(plan.hosts().get("new"))
        .isEqualTo(
            new Host(
                Transport.LOCAL,
                "10.0.0.12",
                "shop",
                2222,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));

    // secrets stay references: the loader never resolves them, the worker does
    assertThat(plan.secrets())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "db-password", "env:SHOP_DB_PASSWORD", "tsig-key", "file:/etc/cutover/tsig.key"));

    assertThat(plan.window().notBefore()).isEqualTo(Instant.parse("2026-12-01T22:00:00Z"));
    assertThat(plan.window().downtimeBudget()).isEqualTo(Duration.ofMinutes(45));
    assertThat(plan.window().onBudgetExceededOrDefault()).isEqualTo(BudgetAction.ABORT);

    assertThat(plan.gates())
        .containsExactly(
            new Gate(
                "go-live",
                "downtime",
                "The last presync round is green and support is warned",
                Duration.ofHours(2),
                null),
            new Gate("retire-old", "finish", null, null, null));

    var phases = plan.phases();
    assertThat(phases.prepare().description()).isEqualTo("Nothing changes yet");
    assertThat(phases.lowerTtl().oldTtl()).isEqualTo(Duration.ofDays(1));
    assertThat(phases.presync().every()).isEqualTo(Duration.ofHours(6));
    assertThat(phases.presync().rounds()).isEqualTo(4);
    assertThat(phases.monitor().every()).isEqualTo(Duration.ofMinutes(15));
    assertThat(phases.monitor().duration()).isEqualTo(Duration.ofDays(3));

    Step checkDisk = phases.prepare().steps().get(0);
    assertThat(checkDisk.kind()).isEqualTo(StepKind.RUN);
    assertThat(checkDisk.spec(RunSpec.class).host()).isEqualTo("new");
    assertThat(checkDisk.spec(RunSpec.class).command()).isEqualTo("df -h /srv");
    assertThat(checkDisk.spec(RunSpec.class).cwd()).isEqualTo("/srv");
    assertThat(checkDisk.spec(RunSpec.class).env()).containsExactly(Map.entry("LC_ALL", "C"));
    assertThat(checkDisk.timeout()).isEqualTo(Duration.ofMinutes(2));

    Step presync = phases.presync().steps().get(0);
    assertThat(presync.timeout()).isEqualTo(Duration.ofMinutes(45));
    assertThat(presync.retry())
        .isEqualTo(new Retry(5, Duration.ofSeconds(30), 1.5, Duration.ofMinutes(10)));

    assertThat(phases.downtime().steps())
        .extracting(Step::name)
        .containsExactly("stop-app", "final-dump", "promote-new-db");
    Step stopApp = phases.downtime().steps().get(0);
    assertThat(stopApp.onFailureOrDefault()).isEqualTo(OnFailure.ABORT);
    assertThat(stopApp.undo().name()).as("an undo needs no name: it is known by its step").isNull();
    assertThat(stopApp.undo().kind()).isEqualTo(StepKind.RUN);
    assertThat(stopApp.undo().spec(RunSpec.class).command()).isEqualTo("systemctl start shop");
    assertThat(phases.downtime().steps().get(1).spec(RunSpec.class).secretEnv())
        .containsExactly(Map.entry("PGPASSWORD", "db-password"));
    assertThat(phases.downtime().steps())
        .filteredOn(Step::isPointOfNoReturn)
        .extracting(Step::name)
        .containsExactly("promote-new-db");

    assertThat(phases.verify().steps().get(0).kind()).isEqualTo(StepKind.WAIT);
    assertThat(phases.verify().steps().get(0).spec(WaitSpec.class).duration())
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(phases.monitor().steps().get(0).onFailureOrDefault()).isEqualTo(OnFailure.CONTINUE);
  }

  @Test
  void phasesRunInTheirFixedOrderWhateverTheOrderInTheFile() throws Exception {
    // given: complete.yaml lists finish, monitor, verify, prepare, lower-ttl, presync, downtime,
    // switch
    Path file = VALID.resolve("complete.yaml");

    // when
    Plan plan = PlanLoader.load(file);

    // then
    assertThat(plan.phases().present())
        .containsExactly(
            PhaseName.PREPARE,
            PhaseName.LOWER_TTL,
            PhaseName.PRESYNC,
            PhaseName.DOWNTIME,
            PhaseName.SWITCH,
            PhaseName.VERIFY,
            PhaseName.MONITOR,
            PhaseName.FINISH);
  }

  @Test
  void phasesLeftOutAreAbsentAndTheRestKeepTheirOrder() throws Exception {
    // given: downtime is written after presync in the file, and nothing else is there
    Path file = VALID.resolve("window-without-schedule.yaml");

    // when
    Plan plan = PlanLoader.load(file);

    // then
    assertThat(plan.phases().present()).containsExactly(PhaseName.PRESYNC, PhaseName.DOWNTIME);
    assertThat(plan.phases().has(PhaseName.MONITOR)).isFalse();
    assertThat(plan.phases().steps(PhaseName.MONITOR)).isEmpty();
  }

  @Test
  void whatAPlanLeavesOutTakesItsDefault() throws Exception {
    // given
    Path file = VALID.resolve("minimal.yaml");

    // when
    Plan plan = PlanLoader.load(file);

    // then
    assertThat(plan.description()).isNull();
    assertThat(plan.secrets()).isEmpty();
    assertThat(plan.gates()).isEmpty();
    assertThat(plan.window()).isNull();
    assertThat(plan.hosts().get("old").transportOrDefault()).isEqualTo(Transport.LOCAL);

    Step step = plan.phases().prepare().steps().get(0);
    assertThat(step.onFailureOrDefault()).isEqualTo(OnFailure.ASK);
    assertThat(step.isPointOfNoReturn()).isFalse();
    assertThat(step.timeout())
        .as("the workflow applies the default timeout, not the loader")
        .isNull();
    assertThat(step.retry()).isNull();
    assertThat(step.undo()).isNull();
    assertThat(step.spec(RunSpec.class).env()).isEmpty();
    assertThat(step.spec(RunSpec.class).secretEnv()).isEmpty();
  }

  @Test
  void approversAndAGatesApprovalPolicyLoadAsWritten() throws Exception {
    // given a plan whose gates count signed approvals
    Path file = VALID.resolve("signed-approvals.yaml");

    // when
    Plan plan = PlanLoader.load(file);

    // then the approvers are the lines as written, and each parses
    assertThat(plan.approvers()).hasSize(3);
    assertThat(plan.approvers().get(0)).startsWith("alice@example.com ssh-ed25519 AAAA");
    List<AllowedSigner> signers = plan.approvers().stream().map(AllowedSigner::parse).toList();
    assertThat(signers)
        .extracting(AllowedSigner::principal)
        .containsExactly("alice@example.com", "bob@example.com", "carol@example.com");
    assertThat(signers.get(1).namespaces()).containsExactly("cutover-approval", "cutover-start");
    assertThat(signers.get(2).validAfter()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(signers.get(2).validBefore()).isEqualTo(Instant.parse("2027-12-31T23:59:59Z"));

    // and the policies bind, with their defaults where left out
    GateApprovalPolicy twoOfThree = plan.gates().get(0).approval();
    assertThat(twoOfThree.requireOrDefault()).isEqualTo(2);
    assertThat(twoOfThree.from())
        .containsExactly("alice@example.com", "bob@example.com", "carol@example.com");
    assertThat(twoOfThree.selfApprovalOrDefault()).isFalse();
    assertThat(twoOfThree.allowsUnsigned()).isFalse();
    GateApprovalPolicy anyOne = plan.gates().get(1).approval();
    assertThat(anyOne.requireOrDefault()).isEqualTo(1);
    assertThat(anyOne.from()).isNull();
    assertThat(anyOne.allowsUnsigned()).isTrue();

    // and each gate's signers are the approvers its policy names, or all of them
    assertThat(twoOfThree.signers(plan.approvers())).isEqualTo(signers);
    assertThat(anyOne.signers(plan.approvers())).isEqualTo(signers);
    GateApprovalPolicy aliceOnly =
        new GateApprovalPolicy(1, List.of("alice@example.com"), null, null);
    assertThat(aliceOnly.signers(plan.approvers())).containsExactly(signers.get(0));
  }

  @Test
  void approversAndPoliciesReachTheWorkflowAsWritten() throws Exception {
    // given the plan as cutover start sends it, through Temporal's default data converter
    Plan plan = PlanLoader.load(VALID.resolve("signed-approvals.yaml"));
    var converter = io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE;

    // when the workflow reads it back
    Plan read =
        converter.fromPayload(converter.toPayload(plan).orElseThrow(), Plan.class, Plan.class);

    // then nothing is lost or added (no derived value becomes a field)
    assertThat(read).isEqualTo(plan);
    assertThat(
            converter
                .toPayload(plan.gates().get(0).approval())
                .orElseThrow()
                .getData()
                .toStringUtf8())
        .isEqualTo(
            "{\"require\":2,\"from\":[\"alice@example.com\",\"bob@example.com\",\"carol@example.com\"],\"selfApproval\":false,\"unsigned\":null}");
  }

  @Test
  void moreApproversThanAPlanMayListAreOneProblem() {
    // given 101 approver lines (their keys are not even read)
    StringBuilder text = new StringBuilder("migration: m\nhosts: {old: {}}\napprovers:\n");
    for (int i = 0; i <= ApproverChecks.MAX_APPROVERS; i++) {
      text.append("  - a").append(i).append(" ssh-ed25519 AAAA\n");
    }
    text.append("phases: {prepare: {steps: [{name: s, kind: run, host: old, command: x}]}}\n");

    assertThatThrownBy(() -> PlanLoader.parse("many.yaml", text.toString()))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessage("many.yaml:4:3: approvers: 101 approvers; a plan lists at most 100");
  }

  @Test
  void aPlanWithoutApproversHasNoneAndItsGatesNoPolicy() throws Exception {
    Plan plan = PlanLoader.load(VALID.resolve("complete.yaml"));

    assertThat(plan.approvers()).isEmpty();
    assertThat(plan.gates()).extracting(Gate::approval).containsOnlyNulls();
  }

  @Test
  void aWindowWithoutAStartTimeStillHasABudgetAndAsksByDefault() throws Exception {
    // given: presync has neither every nor a window start, so one round and no schedule is needed
    Path file = VALID.resolve("window-without-schedule.yaml");

    // when
    Plan plan = PlanLoader.load(file);

    // then
    assertThat(plan.window().notBefore()).isNull();
    assertThat(plan.window().downtimeBudget()).isEqualTo(Duration.ofMinutes(30));
    assertThat(plan.window().onBudgetExceededOrDefault()).isEqualTo(BudgetAction.ASK);
    assertThat(plan.phases().presync().every()).isNull();
    assertThat(plan.phases().presync().rounds()).isNull();
  }

  @Test
  void aRetryPolicySharedThroughAYamlAliasAppliesToEveryStepThatNamesIt() throws Exception {
    // given
    Path file = VALID.resolve("shared-retry.yaml");

    // when
    Plan plan = PlanLoader.load(file);

    // then
    Retry patient = new Retry(10, Duration.ofMinutes(1), null, null);
    assertThat(plan.phases().verify().steps())
        .extracting(Step::retry)
        .containsExactly(patient, patient);
  }

  @Test
  void aMissingFileIsAProblemAtItsPathNotACrash(@TempDir Path dir) {
    // given
    Path file = dir.resolve("shop-move.yaml");

    // when / then
    assertThatThrownBy(() -> PlanLoader.load(file))
        .isInstanceOf(InvalidPlanException.class)
        .extracting(e -> ((InvalidPlanException) e).problems(), list(PlanProblem.class))
        .extracting(PlanProblem::format)
        .containsExactly(file + ":1:1: (plan): no such file");
  }

  @Test
  void problemsFromAFileOnDiskNameTheFileAsGiven(@TempDir Path dir) throws IOException {
    // given: the CLI passes the path the operator typed, so the editor link works from their shell
    Path file = Files.writeString(dir.resolve("shop-move.yaml"), "migration: shop-move\n");

    // when / then
    assertThatThrownBy(() -> PlanLoader.load(file))
        .isInstanceOf(InvalidPlanException.class)
        .extracting(e -> ((InvalidPlanException) e).problems(), list(PlanProblem.class))
        .extracting(PlanProblem::format)
        .containsExactly(
            file + ":1:1: hosts: missing required field 'hosts'",
            file + ":1:1: phases: missing required field 'phases'");
  }

  @Test
  void theExceptionMessageIsEveryProblemOnItsOwnLine() {
    // given: the CLI prints the message as is, one problem per line like a compiler
    String text =
        """
        migration: Shop
        hosts:
          old:
            port: 0
        phases:
          prepare:
            steps:
              - name: settle
                kind: wait
                duration: 1m
        """;

    // when / then
    assertThatThrownBy(() -> PlanLoader.parse("shop.yaml", text))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessage(
            String.join(
                "\n",
                "shop.yaml:1:12: migration:"
                    + " 'Shop' is not a valid name: use lower case letters, digits and hyphens, at most 63",
                "shop.yaml:4:11: hosts.old.port: port 0 is out of range 1-65535"));
  }

  @Test
  void aPlanParsedFromTextEqualsTheSamePlanLoadedFromItsFile() throws Exception {
    // given: the CLI loads from disk, tests and the demo parse text; both must give the same plan
    Path file = VALID.resolve("complete.yaml");
    String text = Files.readString(file);

    // when
    Plan parsed = PlanLoader.parse("complete.yaml", text);

    // then
    assertThat(parsed).isEqualTo(PlanLoader.load(file));
  }

  private static Path resourceDir(String name) {
    try {
      return Path.of(PlanLoaderTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
