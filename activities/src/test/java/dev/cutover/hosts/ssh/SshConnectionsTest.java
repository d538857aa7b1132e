package dev.cutover.hosts.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.ShellCommand;
import dev.cutover.plan.Host;
import dev.cutover.plan.Transport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import dev.cutover.testing.SshTestServer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connecting over SSH: host keys are always verified (known_hosts, hashed or not, or a pinned
 * fingerprint), keys and passphrases come from the worker, jump hosts tunnel, and every failure is
 * classified and names the host.
 */
class SshConnectionsTest {
  static final ShellCommand HELLO = ShellCommand.of("echo hello", Duration.ofMinutes(1));
  static final String PASSPHRASE = "correct horse battery staple";

  @TempDir Path dir;

  SshTestServer server;
  SshConnections ssh;

  @BeforeEach
  void startServer() throws IOException {
    server = SshTestServer.start();
    ssh = connections(Map.of());
  }

  @AfterEach
  void stopServer() throws IOException {
    ssh.close();
    server.close();
  }

  @Test
  void aKeyInKnownHostsIsAcceptedAndItsLineIsWhatTheWorkerVerified() throws IOException {
    // given the server's key in known_hosts
    Host host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));

    // when a command runs and the host's known_hosts line is asked for
    String out = ssh.shell("old", host).exec(HELLO).stdout();
    String line = ssh.knownHostsLine("old", host);

    // then it ran, and the line is the server's key at [address]:port (port is not 22)
    assertThat(out).isEqualTo("hello\n");
    assertThat(line)
        .isEqualTo(server.knownHostsLine())
        .startsWith("[127.0.0.1]:" + server.port() + " ssh-ed25519 AAAA");
  }

  @Test
  void knownHostsLineConnectsWhenNoCommandRanYet() throws IOException {
    // given a host nothing ran on yet
    Host host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));

    // when its known_hosts line is asked for
    String line = ssh.knownHostsLine("old", host);

    // then the worker connected (verifying the key) to learn it
    assertThat(line).isEqualTo(server.knownHostsLine());
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void aHashedKnownHostsEntryIsAccepted() throws IOException {
    // given known_hosts written by `ssh-keygen -H`: host names hashed, among other entries
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(
        knownHosts,
        "# comment\nother.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBhkYWtlZmFrZWZha2VmYWtlZmFrZWZha2VmYWtlZmFr\n"
            + server.hashedKnownHostsLine()
            + "\n");

    // when a command runs
    String out = ssh.shell("old", server.host(knownHosts)).exec(HELLO).stdout();

    // then the hashed entry vouched for the key
    assertThat(out).isEqualTo("hello\n");
  }

  @Test
  void anUnknownHostKeyIsANonRetryableHostKeyUnknownWithFingerprintFileAndRemedy()
      throws IOException {
    // given a known_hosts file without the server, and one that does not exist
    Path empty = Files.writeString(dir.resolve("known_hosts"), "");
    Path missing = dir.resolve("absent_known_hosts");

    // when the host is used with each
    ApplicationFailure withEmpty = failure(() -> ssh.shell("old", server.host(empty)).exec(HELLO));
    ApplicationFailure withMissing =
        failure(() -> ssh.shell("old", server.host(missing)).exec(HELLO));

    // then both stop for good, naming the host, address, presented fingerprint, file and the way to
    // check and fix
    assertThat(withEmpty.getType()).isEqualTo(CutoverErrors.HOST_KEY_UNKNOWN);
    assertThat(withEmpty.isNonRetryable()).isTrue();
    assertThat(withEmpty.getOriginalMessage())
        .contains("host old")
        .contains("127.0.0.1:" + server.port())
        .contains(server.hostKeyFingerprint())
        .contains(empty.toString())
        .contains("ssh-keyscan -p " + server.port() + " 127.0.0.1 | ssh-keygen -lf -")
        .contains("hostKey: " + server.hostKeyFingerprint());
    assertThat(withMissing.getType()).isEqualTo(CutoverErrors.HOST_KEY_UNKNOWN);
    assertThat(withMissing.getOriginalMessage())
        .contains(missing.toString())
        .contains("does not exist");
    assertThat(server.commandCount()).isZero();
  }

  @Test
  void aDifferentKeyInKnownHostsIsANonRetryableHostKeyMismatchNamingBothFingerprints()
      throws IOException {
    // given known_hosts with another machine's key under this server's address and port
    try (SshTestServer impostor = SshTestServer.start()) {
      Path knownHosts =
          Files.writeString(
              dir.resolve("known_hosts"),
              impostor.knownHostsLine().replace(impostor.hostPattern(), server.hostPattern())
                  + "\n");

      // when the host is used
      ApplicationFailure failure =
          failure(() -> ssh.shell("old", server.host(knownHosts)).exec(HELLO));

      // then it stops for good, naming the presented and the expected key and where the expectation
      // came from
      assertThat(failure.getType()).isEqualTo(CutoverErrors.HOST_KEY_MISMATCH);
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage())
          .contains("host old")
          .contains("127.0.0.1:" + server.port())
          .contains(server.hostKeyFingerprint())
          .contains(impostor.hostKeyFingerprint())
          .contains(knownHosts.toString());
      assertThat(server.commandCount()).isZero();
    }
  }

  @Test
  void aPinnedFingerprintIsTheOnlyKeyAcceptedWhateverKnownHostsSays() throws IOException {
    // given known_hosts that would refuse the server, and the server's fingerprint pinned in the
    // plan
    try (SshTestServer impostor = SshTestServer.start()) {
      Path wrongKnownHosts =
          Files.writeString(
              dir.resolve("known_hosts"),
              impostor.knownHostsLine().replace(impostor.hostPattern(), server.hostPattern())
                  + "\n");
      Host pinned = withHostKey(server.host(wrongKnownHosts), server.hostKeyFingerprint());
      Host pinnedToOther = withHostKey(server.host(wrongKnownHosts), impostor.hostKeyFingerprint());
      SshConnections other = connections(Map.of());

      // when the host is used with each pin
      String out = ssh.shell("old", pinned).exec(HELLO).stdout();
      ApplicationFailure failure = failure(() -> other.shell("old", pinnedToOther).exec(HELLO));
      other.close();

      // then the matching pin connects, the other one is a mismatch naming both fingerprints
      assertThat(out).isEqualTo("hello\n");
      assertThat(failure.getType()).isEqualTo(CutoverErrors.HOST_KEY_MISMATCH);
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage())
          .contains("host old")
          .contains(server.hostKeyFingerprint())
          .contains(impostor.hostKeyFingerprint())
          .contains("pinned");
    }
  }

  @Test
  void aPinThatIsNotASha256FingerprintIsInvalidConfig() throws IOException {
    // given an MD5-style fingerprint in the plan
    Host host = withHostKey(server.host(null), "MD5:12:34:56");

    // when the host is used
    ApplicationFailure failure = failure(() -> ssh.shell("old", host).exec(HELLO));

    // then the plan must change
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage()).contains("host old").contains("MD5:12:34:56");
  }

  @Test
  void aKeyTheHostDoesNotAcceptIsANonRetryableAuthFailure() throws IOException {
    // given a key the server does not know, and the right key with the wrong login name
    Path knownHosts = server.writeKnownHosts(dir.resolve("known_hosts"));
    Path strangerKey = SshTestServer.writeUnknownKey(dir.resolve("id_stranger"));
    Host wrongKey = withKey(server.host(knownHosts), strangerKey.toString(), null);
    Host wrongUser =
        new Host(
            Transport.SSH,
            server.address(),
            "nobody-else",
            server.port(),
            null,
            server.clientKey().toString(),
            null,
            knownHosts.toString(),
            null,
            null,
            null,
            null,
            null);

    // when each is used
    ApplicationFailure keyFailure = failure(() -> ssh.shell("old", wrongKey).exec(HELLO));
    ApplicationFailure userFailure = failure(() -> ssh.shell("old", wrongUser).exec(HELLO));

    // then both stop for good, naming host, user and key file
    assertThat(keyFailure.getType()).isEqualTo(CutoverErrors.AUTH_FAILED);
    assertThat(keyFailure.isNonRetryable()).isTrue();
    assertThat(keyFailure.getOriginalMessage())
        .contains("host old")
        .contains(server.user())
        .contains(strangerKey.toString());
    assertThat(userFailure.getType()).isEqualTo(CutoverErrors.AUTH_FAILED);
    assertThat(userFailure.getOriginalMessage())
        .contains("nobody-else")
        .contains(server.clientKey().toString());
  }

  @Test
  void aPassphraseProtectedKeyWorksWithItsPassphraseFromTheEnvironment() throws IOException {
    // given a protected key and its passphrase in the worker's environment
    Host host =
        withKey(
            server.host(server.writeKnownHosts(dir.resolve("known_hosts"))),
            server.clientKeyWithPassphrase(PASSPHRASE).toString(),
            "env:KEY_PASSPHRASE");
    SshConnections withSecret = connections(Map.of("KEY_PASSPHRASE", PASSPHRASE));

    // when a command runs
    String out = withSecret.shell("old", host).exec(HELLO).stdout();
    withSecret.close();

    // then the key was decrypted and accepted
    assertThat(out).isEqualTo("hello\n");
  }

  @Test
  void aWrongPassphraseIsAnAuthFailureThatNamesTheSecretButNeverItsValue() throws IOException {
    // given a protected key and a wrong passphrase behind the reference
    Path key = server.clientKeyWithPassphrase(PASSPHRASE);
    Host host =
        withKey(
            server.host(server.writeKnownHosts(dir.resolve("known_hosts"))),
            key.toString(),
            "env:KEY_PASSPHRASE");
    SshConnections withWrongSecret = connections(Map.of("KEY_PASSPHRASE", "not-the-passphrase-77"));

    // when a command should run
    ApplicationFailure failure = failure(() -> withWrongSecret.shell("old", host).exec(HELLO));
    withWrongSecret.close();

    // then it stops for good, naming the key file and the reference, not the value
    assertThat(failure.getType()).isEqualTo(CutoverErrors.AUTH_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("host old")
        .contains(key.toString())
        .contains("env:KEY_PASSPHRASE")
        .doesNotContain("not-the-passphrase-77");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void aProtectedKeyWithoutPassphraseSecretSaysToSetOne() throws IOException {
    // given a protected key and no passphrase reference on the host
    Path key = server.clientKeyWithPassphrase(PASSPHRASE);
    Host host =
        withKey(
            server.host(server.writeKnownHosts(dir.resolve("known_hosts"))), key.toString(), null);

    // when a command should run
    ApplicationFailure failure = failure(() -> ssh.shell("old", host).exec(HELLO));

    // then the operator learns what to add
    assertThat(failure.getType()).isEqualTo(CutoverErrors.AUTH_FAILED);
    assertThat(failure.getOriginalMessage()).contains(key.toString()).contains("passphraseSecret");
  }

  @RealTools
  @Test
  void keysMadeBySshKeygenWorkWithAndWithoutPassphrase() throws Exception {
    // given an ed25519 key with a passphrase and an RSA key without, as operators make them with
    // ssh-keygen
    Path ed25519 = sshKeygen("ed25519", PASSPHRASE, dir.resolve("id_ed25519"));
    Path rsa = sshKeygen("rsa", "", dir.resolve("id_rsa"));
    server.authorize(Path.of(ed25519 + ".pub"));
    server.authorize(Path.of(rsa + ".pub"));
    Path knownHosts = server.writeKnownHosts(dir.resolve("known_hosts"));
    SshConnections withSecret = connections(Map.of("KEY_PASSPHRASE", PASSPHRASE));

    // when each logs in
    String withEd25519 =
        withSecret
            .shell(
                "old", withKey(server.host(knownHosts), ed25519.toString(), "env:KEY_PASSPHRASE"))
            .exec(HELLO)
            .stdout();
    String withRsa =
        withSecret
            .shell("old", withKey(server.host(knownHosts), rsa.toString(), null))
            .exec(HELLO)
            .stdout();
    withSecret.close();

    // then both are read, decrypted and accepted
    assertThat(withEd25519).isEqualTo("hello\n");
    assertThat(withRsa).isEqualTo("hello\n");
  }

  @Test
  void anUnresolvablePassphraseSecretIsSecretUnavailable() throws IOException {
    // given a passphrase reference the worker's environment cannot resolve
    Host host =
        withKey(
            server.host(server.writeKnownHosts(dir.resolve("known_hosts"))),
            server.clientKeyWithPassphrase(PASSPHRASE).toString(),
            "env:NOT_SET_ANYWHERE");

    // when a command should run
    ApplicationFailure failure = failure(() -> ssh.shell("old", host).exec(HELLO));

    // then the secret resolver's classification comes through
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void aMissingKeyFileIsInvalidConfigNamingIt() throws IOException {
    // given a key file that does not exist on the worker
    Path absent = dir.resolve("id_absent");
    Host host =
        withKey(
            server.host(server.writeKnownHosts(dir.resolve("known_hosts"))),
            absent.toString(),
            null);

    // when a command should run
    ApplicationFailure failure = failure(() -> ssh.shell("old", host).exec(HELLO));

    // then the plan or the worker must change, and the message says which file
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("host old").contains(absent.toString());
  }

  @Test
  void theWorkersIdentityFilesServeHostsWithoutTheirOwn() throws IOException {
    // given a worker configured with the key, and a host naming none
    Path knownHosts = server.writeKnownHosts(dir.resolve("known_hosts"));
    Host host = withKey(server.host(knownHosts), null, null);
    SshConnections configured =
        new SshConnections(
            new SshSettings(java.util.List.of(server.clientKey()), null, null, null),
            new SecretResolver(Map.of()));

    // when a command runs
    String out = configured.shell("old", host).exec(HELLO).stdout();
    configured.close();

    // then the worker's key logged in
    assertThat(out).isEqualTo("hello\n");
  }

  @Test
  void theWorkersKnownHostsServeHostsWithoutTheirOwn() throws IOException {
    // given a worker whose known_hosts has the server, and a host naming no file
    Path knownHosts = server.writeKnownHosts(dir.resolve("worker_known_hosts"));
    SshConnections configured =
        new SshConnections(
            new SshSettings(java.util.List.of(), knownHosts, null, null),
            new SecretResolver(Map.of()));

    // when a command runs
    String out = configured.shell("old", server.host(null)).exec(HELLO).stdout();
    configured.close();

    // then the worker's file vouched for the key
    assertThat(out).isEqualTo("hello\n");
  }

  @Test
  void aJumpHostTunnelsToTheTargetWhoseKeyIsStillVerified() throws IOException {
    // given a bastion (server A) that forwards to the target (server B), both in known_hosts
    try (SshTestServer target = SshTestServer.start()) {
      Path knownHosts =
          Files.writeString(
              dir.resolve("known_hosts"),
              server.knownHostsLine() + "\n" + target.knownHostsLine() + "\n");
      Host bastion = server.host(knownHosts);
      Host behind = viaJump(target.host(knownHosts), "bastion", bastion);

      // when a command runs on the target
      String out =
          ssh.shell("new", behind)
              .exec(ShellCommand.of("echo on-target", Duration.ofMinutes(1)))
              .stdout();

      // then it ran on B, through one connection to A that ran nothing itself
      assertThat(out).isEqualTo("on-target\n");
      assertThat(target.commandCount()).isEqualTo(1);
      assertThat(server.connectionCount()).isEqualTo(1);
      assertThat(server.commandCount()).isZero();
      assertThat(ssh.knownHostsLine("new", behind)).isEqualTo(target.knownHostsLine());
    }
  }

  @Test
  void behindAJumpHostAWrongTargetKeyIsAMismatchAndAnUnknownBastionKeyIsUnknown()
      throws IOException {
    // given known_hosts that trusts the bastion but has another key for the target, and one that
    // knows only the target
    try (SshTestServer target = SshTestServer.start();
        SshTestServer impostor = SshTestServer.start()) {
      Path wrongTarget =
          Files.writeString(
              dir.resolve("kh1"),
              server.knownHostsLine()
                  + "\n"
                  + impostor.knownHostsLine().replace(impostor.hostPattern(), target.hostPattern())
                  + "\n");
      Path noBastion = Files.writeString(dir.resolve("kh2"), target.knownHostsLine() + "\n");
      Host behindWrong = viaJump(target.host(wrongTarget), "bastion", server.host(wrongTarget));
      Host behindUnknown = viaJump(target.host(noBastion), "bastion", server.host(noBastion));

      // when the target is used through each
      ApplicationFailure mismatch = failure(() -> ssh.shell("new", behindWrong).exec(HELLO));
      ApplicationFailure unknown = failure(() -> ssh.shell("new", behindUnknown).exec(HELLO));

      // then the tunnel did not exempt the target from the check, nor the bastion
      assertThat(mismatch.getType()).isEqualTo(CutoverErrors.HOST_KEY_MISMATCH);
      assertThat(mismatch.getOriginalMessage())
          .contains("host new")
          .contains("through jump host bastion")
          .contains(target.hostKeyFingerprint())
          .contains(impostor.hostKeyFingerprint());
      assertThat(unknown.getType()).isEqualTo(CutoverErrors.HOST_KEY_UNKNOWN);
      assertThat(unknown.getOriginalMessage())
          .contains("host bastion")
          .contains(server.hostKeyFingerprint());
      assertThat(target.commandCount()).isZero();
    }
  }

  @Test
  void aJumpHostThatCannotReachTheTargetIsRetryableUnreachable() throws IOException {
    // given a bastion and a target port nobody listens on
    int closed = closedPort();
    Path knownHosts = server.writeKnownHosts(dir.resolve("known_hosts"));
    Host behind =
        viaJump(
            new Host(
                Transport.SSH,
                "127.0.0.1",
                "deploy",
                closed,
                null,
                server.clientKey().toString(),
                null,
                knownHosts.toString(),
                null,
                null,
                null,
                null,
                null),
            "bastion",
            server.host(knownHosts));

    // when the target is used
    ApplicationFailure failure = failure(() -> ssh.shell("new", behind).exec(HELLO));

    // then it is retried later, and the message says the bastion could not get there
    assertThat(failure.getType()).isEqualTo(CutoverErrors.HOST_UNREACHABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("host new")
        .contains("127.0.0.1:" + closed)
        .contains("bastion");
  }

  @Test
  void aClosedPortIsARetryableHostUnreachableNamingTheAddress() throws IOException {
    // given a port nobody listens on
    int closed = closedPort();
    Host host =
        new Host(
            Transport.SSH,
            "127.0.0.1",
            "deploy",
            closed,
            null,
            server.clientKey().toString(),
            null,
            server.writeKnownHosts(dir.resolve("known_hosts")).toString(),
            null,
            null,
            null,
            null,
            null);

    // when a command should run there
    ApplicationFailure failure = failure(() -> ssh.shell("old", host).exec(HELLO));

    // then Temporal retries it (the host may be rebooting), and the message names host, address and
    // cause
    assertThat(failure.getType()).isEqualTo(CutoverErrors.HOST_UNREACHABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("host old")
        .contains("127.0.0.1:" + closed)
        .contains("refused");
  }

  @Test
  void aNameThatDoesNotResolveIsARetryableHostUnreachable() throws IOException {
    // given an address in the reserved .invalid domain
    Host host =
        new Host(
            Transport.SSH,
            "old.cutover-test.invalid",
            "deploy",
            null,
            null,
            server.clientKey().toString(),
            null,
            server.writeKnownHosts(dir.resolve("known_hosts")).toString(),
            null,
            null,
            null,
            null,
            null);

    // when a command should run there
    ApplicationFailure failure = failure(() -> ssh.shell("old", host).exec(HELLO));

    // then it is retried (DNS may be back soon), naming the name that did not resolve
    assertThat(failure.getType()).isEqualTo(CutoverErrors.HOST_UNREACHABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("host old")
        .contains("old.cutover-test.invalid:22")
        .contains("DNS");
  }

  @Test
  void closingDisconnectsEveryConnectionAndLaterUseIsRetryable() throws Exception {
    // given a connection in use
    Host host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));
    ssh.shell("old", host).exec(HELLO);

    // when the transport is closed (worker shutdown)
    ssh.close();

    // then the server sees the connection go, and a late command fails retryably for another worker
    // to pick up
    for (int i = 0; i < 200 && server.openConnections() > 0; i++) {
      Thread.sleep(50);
    }
    assertThat(server.openConnections()).isZero();
    ApplicationFailure failure = failure(() -> ssh.shell("old", host).exec(HELLO));
    assertThat(failure.isNonRetryable()).isFalse();
  }

  private static ApplicationFailure failure(ThrowingCallable action) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, action);
    assertThat(failure).as("an ApplicationFailure").isNotNull();
    return failure;
  }

  private static SshConnections connections(Map<String, String> environment) {
    return new SshConnections(SshSettings.defaults(), new SecretResolver(environment));
  }

  /** Makes a key with OpenSSH's ssh-keygen, as operators do. */
  private static Path sshKeygen(String type, String passphrase, Path file) throws Exception {
    Path sshKeygen = RequiredTool.onPath("ssh-keygen", "apt-get install openssh-client");
    Process keygen =
        new ProcessBuilder(
                sshKeygen.toString(),
                "-q",
                "-t",
                type,
                "-N",
                passphrase,
                "-C",
                "cutover-test",
                "-f",
                file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(keygen.getInputStream().readAllBytes());
    assertThat(keygen.waitFor()).as("ssh-keygen: " + output).isZero();
    return file;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static Host withHostKey(Host h, String hostKey) {
    return new Host(
        h.transport(),
        h.address(),
        h.user(),
        h.port(),
        h.description(),
        h.identityFile(),
        h.passphraseSecret(),
        h.knownHosts(),
        hostKey,
        h.jump(),
        h.sudo(),
        h.jumpHost(),
        h.passphraseRef());
  }

  static Host withKey(Host h, String identityFile, String passphraseRef) {
    return new Host(
        h.transport(),
        h.address(),
        h.user(),
        h.port(),
        h.description(),
        identityFile,
        passphraseRef == null ? null : "key-pass",
        h.knownHosts(),
        h.hostKey(),
        h.jump(),
        h.sudo(),
        h.jumpHost(),
        passphraseRef);
  }

  static Host viaJump(Host h, String jumpName, Host jump) {
    return new Host(
        h.transport(),
        h.address(),
        h.user(),
        h.port(),
        h.description(),
        h.identityFile(),
        h.passphraseSecret(),
        h.knownHosts(),
        h.hostKey(),
        jumpName,
        h.sudo(),
        jump,
        h.passphraseRef());
  }
}
