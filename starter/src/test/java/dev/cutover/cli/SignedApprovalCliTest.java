package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cli.CliTestServer.CliRun;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.MigrationState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutover start --sign-with} and {@code cutover approve --sign-with} with keys the real
 * ssh-keygen made and signatures it makes, against the real workflow on an in-process server: a
 * gate that needs two approvers and keeps the starter out.
 */
@RealTools
@ExtendWith(CliTestServer.class)
class SignedApprovalCliTest {
  static final String PLAN =
      """
      migration: ${migration}
      hosts: {old: {transport: local}}
      approvers:
        - ${alice}
        - ${bob}
        - ${carol}
      gates:
        - {name: go, before: downtime, approval: {require: 2}}
      phases:
        prepare:  {steps: [{name: prep, kind: run, host: old, command: echo prepared}]}
        downtime: {steps: [{name: flip, kind: run, host: old, command: echo flipped}]}
      """;

  @TempDir Path dir;

  private final CliTestServer server;

  SignedApprovalCliTest(CliTestServer server) {
    this.server = server;
  }

  @BeforeEach
  void ssh() {
    RequiredTool.onPath("ssh-keygen", "apt-get install openssh-client");
  }

  @Test
  void twoSignedApprovalsFromOthersThanTheStarterOpenTheGate() throws Exception {
    // given a plan whose gate needs two of three approvers, never the one who started
    Path alice = key("alice");
    Path bob = key("bob");
    Path carol = key("carol");
    String migration = CliTestServer.uniqueName("signed");
    String id = CutoverNames.workflowId(migration);
    Path plan =
        CliTestServer.writePlan(
            dir,
            migration,
            PLAN.replace("${alice}", signer("alice@example.com", alice))
                .replace("${bob}", signer("bob@example.com", bob))
                .replace("${carol}", signer("carol@example.com", carol)));

    // when it is started unsigned, then it is refused: an unverified starter cannot be kept out
    CliRun unsigned = server.connected("start", plan.toString());
    assertThat(unsigned.exitCode()).as(unsigned.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(unsigned.err()).contains("selfApproval: false").contains("--sign-with");

    // when alice starts it signed
    CliRun start = server.connected("start", plan.toString(), "--sign-with", alice.toString());
    assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCode.OK);
    assertThat(start.out()).contains("signed the start as alice@example.com (SHA256:");
    server.awaitStatus(id, s -> "gate:go".equals(s.waitingFor()));

    // then she cannot approve her own run, nor anyone unsigned
    CliRun self = server.connected("approve", id, "go", "--sign-with", alice.toString());
    assertThat(self.exitCode()).as(self.toString()).isEqualTo(ExitCode.REJECTED);
    assertThat(self.err()).contains("started this run").contains("selfApproval: false");
    CliRun plain = server.connected("approve", id, "go");
    assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(ExitCode.REJECTED);
    assertThat(plain.err())
        .contains("needs signed approvals")
        .contains("cutover approve " + id + " go --sign-with ~/.ssh/id_ed25519");

    // when bob approves, twice
    CliRun first =
        server.connected("approve", id, "go", "--comment", "rounds small", "--sign-with", bob.toString());
    CliRun twice = server.connected("approve", id, "go", "--sign-with", bob.toString());

    // then his approval counts once, and the CLI says who is still needed
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCode.OK);
    assertThat(first.out())
        .contains("counted: bob@example.com (SHA256:")
        .contains("1 of 2 approvals; still needed from: carol@example.com");
    assertThat(twice.exitCode()).as(twice.toString()).isEqualTo(ExitCode.REJECTED);
    assertThat(twice.err()).contains("already approved gate 'go'");
    CliRun waiting = server.connected("status", id);
    assertThat(waiting.out())
        .contains("Started by: alice@example.com (SHA256:")
        .contains("open: 1 of 2 approvals")
        .contains("approved by bob@example.com (SHA256:")
        .contains("still needed: 1 approval from carol@example.com");
    CliRun listed = server.connected("list", "--waiting");
    assertThat(listed.out()).contains("gate go: 1 of 2 approvals (bob@example.com (SHA256:");

    // when carol approves with the key file set in the environment's place, the option
    CliRun second = server.connected("approve", id, "go", "--sign-with", carol.toString());

    // then the gate opens and the run completes; the report names both, with their keys
    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCode.OK);
    assertThat(second.out()).contains("2 of 2 approvals; the run goes on");
    assertThat(server.awaitResult(id).outcome()).isEqualTo(MigrationState.COMPLETED);
    CliRun report = server.connected("report", id);
    assertThat(report.out())
        .contains("2 of 2 approvals: bob@example.com (SHA256:")
        .contains("carol@example.com (SHA256:");
  }

  @Test
  void anUnreadableKeyIsOneClearLine() {
    // when the key does not exist
    CliRun run =
        server.connected(
            "approve", "cutover-nothing", "go", "--sign-with", dir.resolve("nope").toString());

    // then the CLI says so in one line, with the input exit code, before anything is sent
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err().strip()).contains("cannot read the signing key").doesNotContain("\n");
  }

  private Path key(String name) throws Exception {
    Path key = dir.resolve(name);
    Process p =
        new ProcessBuilder(
                List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()))
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return key;
  }

  private static String signer(String principal, Path key) throws Exception {
    return principal + " " + Files.readString(Path.of(key + ".pub")).strip();
  }
}
