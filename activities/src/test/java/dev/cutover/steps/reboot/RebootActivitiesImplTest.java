package dev.cutover.steps.reboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Sh;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code reboot} step against the in-process SSH server, which really goes away and comes back:
 * the stand-in reboot command only leaves a mark, and a thread of the test that sees it stops the
 * server (every connection drops), gives the "host" a new boot id, and listens again on the same
 * port, with the same host key or another one. The real reboot command never runs here.
 */
class RebootActivitiesImplTest {
  static final String BOOT_1 = "6f1c1a4e-1d2b-4f55-9a57-0c6d1e4c2b10";
  static final String BOOT_2 = "b0a7d5c2-88e1-4f0e-a3d9-51c4f6e7a812";
  static final Duration POLL = Duration.ofMillis(200);

  @TempDir Path dir;
  SshTestServer server;
  SshConnections ssh;
  Host host;
  Path bootId;
  Path asked;
  final List<RebootProgress> beats = new CopyOnWriteArrayList<>();
  final Heartbeat<RebootProgress> heartbeat = beats::add;

  @BeforeEach
  void start() throws IOException {
    server = SshTestServer.start();
    ssh = new SshConnections(SshSettings.defaults(), new SecretResolver(Map.of()));
    host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));
    bootId = Files.writeString(dir.resolve("boot_id"), BOOT_1 + "\n");
    asked = dir.resolve("reboot-asked");
  }

  @AfterEach
  void stop() throws IOException {
    ssh.close();
    server.close();
  }

  @Test
  void theHostRebootsAndIsWaitedForUntilItIsBackWithTheSameKey() throws Exception {
    // given a host that, asked to reboot, drops every connection and comes back a moment later with
    // a new boot id
    Thread host = rebootsWhenAsked(() -> server.restart());

    // when the step runs
    RebootResult result = activities().reboot(request(Duration.ofSeconds(60)), heartbeat);
    host.join();

    // then it asked once, saw the host down, and returned once the new boot answered
    assertThat(result.requested()).isTrue();
    assertThat(result.bootIdBefore()).isEqualTo(BOOT_1);
    assertThat(result.bootIdAfter()).isEqualTo(BOOT_2);
    assertThat(beats).extracting(RebootProgress::state).contains("down").last().isEqualTo("back");
    // and the boot id it started from is saved on the host, for a retry to find
    assertThat(Files.readString(server.home().resolve(".cutover/mig-1/reboot-old/boot-id")).strip())
        .isEqualTo(BOOT_1);
  }

  @Test
  void aHostThatComesBackWithAnotherKeyStopsTheStepWithHostKeyMismatch() throws Exception {
    // given a host that comes back from its reboot with another host key (reinstalled, or not the
    // same machine)
    Thread host = rebootsWhenAsked(() -> server.restartWithNewHostKey());

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities().reboot(request(Duration.ofSeconds(60)), heartbeat));
    host.join();

    // then it stops at once, non-retryably, naming step and host, and does not wait on
    assertThat(failure.getType()).isEqualTo(CutoverErrors.HOST_KEY_MISMATCH);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step reboot-old on host old")
        .contains(server.hostKeyFingerprint());
  }

  @Test
  void aRetryAfterTheRebootFindsTheHostBackAndDoesNotRebootItAgain() throws Exception {
    // given an earlier attempt saved the boot id and the host has rebooted since (the worker died
    // meanwhile)
    Path saved =
        Files.createDirectories(server.home().resolve(".cutover/mig-1/reboot-old"))
            .resolve("boot-id");
    Files.writeString(saved, BOOT_1 + "\n");
    Files.writeString(bootId, BOOT_2 + "\n");

    // when the activity runs again
    RebootResult result = activities().reboot(request(Duration.ofSeconds(60)), heartbeat);

    // then it reports the reboot without asking for another
    assertThat(result.requested()).isFalse();
    assertThat(result.bootIdBefore()).isEqualTo(BOOT_1);
    assertThat(result.bootIdAfter()).isEqualTo(BOOT_2);
    assertThat(asked).doesNotExist();
  }

  @Test
  void aHostThatDoesNotComeBackInTimeFailsRetryablyNamingTheHost() throws Exception {
    // given a host that goes down and stays down
    Thread host = rebootsWhenAsked(() -> {});

    // when the step runs with 3 seconds for the host to come back
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities().reboot(request(Duration.ofSeconds(3)), heartbeat));
    host.join();

    // then it fails in a way Temporal retries (the step's retry policy decides how long), saying
    // what happened
    assertThat(failure.getType()).isEqualTo(CutoverErrors.HOST_UNREACHABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .startsWith("step reboot-old on host old: the host did not come back within 3s");
  }

  @Test
  void aRebootTheHostRefusesIsNonRetryablePermissionDenied() {
    // given a host where the user may not reboot (systemd asks for authentication)
    RebootActivitiesImpl activities =
        new RebootActivitiesImpl(
            new HostShells(ssh, Set.of()),
            "echo 'Failed to reboot system via logind: Interactive authentication required.' >&2; exit 1",
            bootId.toString(),
            POLL);

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.reboot(request(Duration.ofSeconds(60)), heartbeat));

    // then it stops at once and says how to fix it
    assertThat(failure.getType()).isEqualTo(CutoverErrors.PERMISSION_DENIED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step reboot-old on host old: not allowed to reboot")
        .contains("set sudo");
  }

  @Test
  void theWorkersOwnMachineIsNeverRebooted() {
    // given a step on a local host
    RebootRequest local =
        new RebootRequest(
            "mig-1", "reboot-old", "old", Host.local(null), Duration.ofSeconds(60), null);

    // when it runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities().reboot(local, heartbeat));

    // then it is refused as bad config, and nothing was asked
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage()).contains("never reboots the machine it runs on");
    assertThat(asked).doesNotExist();
  }

  private RebootActivitiesImpl activities() {
    return new RebootActivitiesImpl(
        new HostShells(ssh, Set.of()),
        "touch " + Sh.quote(asked.toString()),
        bootId.toString(),
        POLL);
  }

  private RebootRequest request(Duration upWithin) {
    return new RebootRequest("mig-1", "reboot-old", "old", host, upWithin, null);
  }

  /**
   * The "host": once asked to reboot, it drops every connection, boots anew, then {@code comeBack}.
   */
  private Thread rebootsWhenAsked(ServerAction comeBack) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (!Files.exists(asked)) {
                  Thread.sleep(20);
                }
                server.stop();
                Files.writeString(bootId, BOOT_2 + "\n");
                Thread.sleep(1000);
                comeBack.run();
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            "rebooting-host");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @FunctionalInterface
  interface ServerAction {
    void run() throws IOException;
  }
}
