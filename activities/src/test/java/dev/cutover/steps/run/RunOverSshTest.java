package dev.cutover.steps.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.ssh.SshConnections;
import dev.cutover.hosts.ssh.SshSettings;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.SshTestServer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run step on a host reached over SSH (an in-process server running real processes). */
class RunOverSshTest {
  static final String SECRET = "pw-over-ssh-5b1e";

  @TempDir Path dir;
  SshTestServer server;
  SshConnections ssh;
  RunActivitiesImpl activities;

  @BeforeEach
  void start() throws IOException {
    server = SshTestServer.start();
    ssh = new SshConnections(SshSettings.defaults(), new SecretResolver(Map.of()));
    activities =
        new RunActivitiesImpl(
            new SecretResolver(Map.of("CUTOVER_TEST_SSH_PW", SECRET)),
            new HostShells(ssh, Set.of()));
  }

  @AfterEach
  void stop() throws IOException {
    ssh.close();
    server.close();
  }

  @Test
  void commandRunsOnTheHostWithItsSecretMaskedAndItsDirectory() throws IOException {
    // given a run step over ssh with a working directory and a secret variable
    Host host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));
    Path work = Files.createDirectories(dir.resolve("srv app"));
    RunRequest request =
        new RunRequest(
            "check",
            "old",
            host,
            "pwd; echo \"pw=$PW\"; [ \"$PW\" = '" + SECRET + "' ] && echo matches",
            work.toString(),
            Map.of(),
            Map.of("PW", "env:CUTOVER_TEST_SSH_PW"),
            Duration.ofSeconds(30),
            false);

    // when it runs
    RunResult result = activities.run(request, p -> {});

    // then it ran in that directory, saw the value, and the output masks it
    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail()).isEqualTo(work + "\npw=***\nmatches");
  }

  @Test
  void aStepTakesOneSessionAndNoNewConnectionOnceTheHostIsConnected() throws IOException {
    // given a host the worker already reached once (its connection is pooled)
    Host host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));
    activities.run(request(host, "true"), p -> {});
    int connections = server.connectionCount();
    int sessions = server.commandCount();

    // when three more steps run there
    for (int i = 0; i < 3; i++) {
      activities.run(request(host, "true"), p -> {});
    }

    // then each took exactly one session (wrapper, lease and script together) on that connection
    assertThat(server.commandCount() - sessions).isEqualTo(3);
    assertThat(server.connectionCount()).isEqualTo(connections);
  }

  private static RunRequest request(Host host, String command) {
    return new RunRequest(
        "check", "old", host, command, null, Map.of(), Map.of(), Duration.ofSeconds(30), false);
  }

  @Test
  void unknownHostKeyStopsTheStepWithoutRetryNamingStepAndHost() throws IOException {
    // given a known_hosts that does not hold the server's key
    Host host = server.host(Files.writeString(dir.resolve("empty_known_hosts"), ""));
    RunRequest request =
        new RunRequest(
            "check", "old", host, "true", null, Map.of(), Map.of(), Duration.ofSeconds(30), false);

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.run(request, p -> {}));

    // then it is refused at once, with the fingerprint the operator must check
    assertThat(failure.getType()).isEqualTo(CutoverErrors.HOST_KEY_UNKNOWN);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step check on host old")
        .contains(server.hostKeyFingerprint());
  }

  @Test
  void aFailingCommandIsARetryableCommandFailedWithItsOutput() throws IOException {
    // given a command that fails on the host
    Host host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));
    RunRequest request =
        new RunRequest(
            "check",
            "old",
            host,
            "echo disk full >&2; exit 4",
            null,
            Map.of(),
            Map.of(),
            Duration.ofSeconds(30),
            false);

    // when it runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.run(request, p -> {}));

    // then the failure is retryable and carries the exit code and the last line
    assertThat(failure.getType()).isEqualTo(CutoverErrors.COMMAND_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("exit code 4").contains("disk full");
  }
}
