package dev.cutover.steps.rsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.LocalShell;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.hosts.SshTransport;
import dev.cutover.plan.Host;
import dev.cutover.plan.Transport;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.ActivityCanceledException;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code rsync} step with the real rsync on real trees. Both hosts local: one rsync on this
 * machine. The ssh routes (host to host, worker to host) run the real rsync too, with a stand-in
 * for the ssh client that records its arguments and the known_hosts file it was given, then runs
 * rsync's remote half here, as sshd would; the "ssh" hosts are shells on this machine.
 */
@RealTools
class RsyncActivitiesImplTest {
  static final Host LOCAL = Host.local(null);
  static final Heartbeat<RsyncProgress> IGNORE = progress -> {};
  static final String KNOWN_LINE_OLD =
      "[10.0.0.1]:2201 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOldOldOldOldOldOldOldOldOldOldOldOldOldOld";
  static final String KNOWN_LINE_NEW =
      "10.0.0.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINewNewNewNewNewNewNewNewNewNewNewNewNewNew";

  @TempDir Path dir;

  private final RsyncActivitiesImpl local =
      new RsyncActivitiesImpl(new HostShells(new NoSshTransport(), Set.of()));

  @BeforeAll
  static void realRsync() {
    RequiredTool.onPath("rsync", "apt-get install rsync");
  }

  // --- both hosts local ------------------------------------------------------------------------

  @Test
  void copiesARealTreeWithOddNamesSymlinksExcludesAndDeletes() throws Exception {
    // given a source tree of a few hundred files, one named with a space and a quote, a symlink, an
    // executable, a directory to leave out; and a target holding a file the source no longer has
    // and a cache of its own
    Path source = dir.resolve("src tree");
    Path target = dir.resolve("target's copy");
    for (int d = 0; d < 10; d++) {
      for (int f = 0; f < 30; f++) {
        write(source.resolve("d" + d + "/file-" + f + ".txt"), "content " + d + "/" + f + "\n");
      }
    }
    write(source.resolve("it's a file.txt"), "quoted name\n");
    write(source.resolve("bin/run.sh"), "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(
        source.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(source.resolve("current"), Path.of("d3"));
    write(source.resolve("cache/huge.bin"), "left out\n");
    write(target.resolve("removed.txt"), "gone from the source\n");
    write(target.resolve("cache/kept.bin"), "the target's own cache\n");
    RsyncRequest request = request(source, target, List.of("cache/"), true);

    // when the tree is synced
    RsyncResult result = local.sync(request, IGNORE);

    // then the target is the source (names, content, modes, times, the link as a link) without the
    // excluded directory, the extra file is gone, and the target's excluded directory is untouched
    Map<String, String> expected = tree(source);
    expected.keySet().removeIf(p -> p.startsWith("cache"));
    expected.put("cache", tree(target).get("cache"));
    expected.put("cache/kept.bin", tree(target).get("cache/kept.bin"));
    assertThat(tree(target)).isEqualTo(expected);
    assertThat(Files.isSymbolicLink(target.resolve("current"))).isTrue();
    assertThat(Files.readString(target.resolve("it's a file.txt"))).isEqualTo("quoted name\n");
    // and the statistics say what was done: 302 files sent, one deleted
    assertThat(result.filesTransferred()).isEqualTo(302);
    // (rsync counts a symlink's size too: the length of its target, "d3")
    long fileBytes = sizeOfFiles(source) - Files.size(source.resolve("cache/huge.bin"));
    assertThat(result.totalSize()).isEqualTo(fileBytes + "d3".length());
    assertThat(result.bytesTransferred()).isEqualTo(fileBytes);
    assertThat(result.changedFiles()).isGreaterThanOrEqualTo(302 + 1);

    // and when it runs again (a retry after a crash), nothing changes and nothing is sent
    RsyncResult again = local.sync(request, IGNORE);
    assertThat(tree(target)).isEqualTo(expected);
    assertThat(again.filesTransferred()).isZero();
    assertThat(again.changedFiles()).isZero();
  }

  @Test
  void missingTargetDirectoryIsCreated() throws Exception {
    // given a target several levels below what exists
    Path source = dir.resolve("src");
    write(source.resolve("a.txt"), "a\n");
    Path target = dir.resolve("new/deeper/target");

    // when synced
    local.sync(request(source, target, List.of(), false), IGNORE);

    // then the path was made and filled
    assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("a\n");
  }

  @Test
  void missingSourceDirectoryIsANonRetryableInvalidConfig() {
    // given a source path that does not exist: a mistake in the plan, which no retry fixes
    Path source = dir.resolve("no-such-source");

    // when synced
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> local.sync(request(source, dir.resolve("t"), List.of(), false), IGNORE));

    // then it stops at once, naming the step, the host and the path; nothing was created on the
    // target
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("step files")
        .contains("host old")
        .contains(source.toString());
    assertThat(dir.resolve("t")).doesNotExist();
  }

  @Test
  void targetThatIsAFileIsANonRetryableInvalidConfig() throws Exception {
    // given a target path that is a regular file
    Path source = dir.resolve("src");
    write(source.resolve("a.txt"), "a\n");
    Path target = write(dir.resolve("target-file"), "not a directory\n");

    // when synced
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> local.sync(request(source, target, List.of(), false), IGNORE));

    // then the step stops naming the target host and path
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage()).contains("host new").contains(target.toString());
    assertThat(Files.readString(target)).isEqualTo("not a directory\n");
  }

  @Test
  void interruptedTransferKeepsThePartialFileAndTheRetryCompletes() throws Exception {
    // given one big file sent slowly (1000 KiB/s: 6 MiB take about 6 s), with partial on, and a
    // heartbeat that cancels the activity the way the SDK does (it throws) once bytes are moving
    Path source = dir.resolve("src");
    Path target = dir.resolve("dst");
    byte[] big = new byte[6 * 1024 * 1024];
    new Random(7).nextBytes(big);
    Files.createDirectories(source);
    Files.write(source.resolve("big.bin"), big);
    RsyncRequest request =
        new RsyncRequest(
            "files",
            "old",
            LOCAL,
            source.toString(),
            "new",
            LOCAL,
            target.toString(),
            List.of(),
            true,
            true,
            1000,
            false,
            null,
            null);
    ActivityCanceledException canceled = new ActivityCanceledException();
    List<RsyncProgress> seen = new CopyOnWriteArrayList<>();
    Heartbeat<RsyncProgress> cancelling =
        progress -> {
          seen.add(progress);
          if (progress.bytes() > 0) {
            throw canceled;
          }
        };

    // when the transfer is canceled in the middle
    Throwable thrown = catchThrowable(() -> local.sync(request, cancelling));

    // then the cancellation reaches the SDK unchanged, the heartbeat carried real progress, and the
    // half-sent file waits in the partial directory, not under its real name
    assertThat(thrown).isSameAs(canceled);
    assertThat(seen.get(seen.size() - 1).bytes()).isPositive();
    assertThat(seen.get(seen.size() - 1).percent()).isBetween(0, 99);
    Path partial = target.resolve(RsyncCommand.PARTIAL_DIR).resolve("big.bin");
    assertThat(partial).exists();
    assertThat(Files.size(partial)).isPositive().isLessThan(big.length);
    assertThat(target.resolve("big.bin")).doesNotExist();

    // and when the activity is retried, the file is complete and the partial directory is gone
    RsyncResult result = local.sync(request, IGNORE);
    assertThat(Files.readAllBytes(target.resolve("big.bin"))).isEqualTo(big);
    assertThat(target.resolve(RsyncCommand.PARTIAL_DIR)).doesNotExist();
    assertThat(result.filesTransferred()).isEqualTo(1);
  }

  @Test
  void heartbeatsThroughTemporalCarryRsyncProgress() throws Exception {
    // given the activity in Temporal's test environment, recording heartbeats, and a transfer of
    // about three seconds (3 MiB at 1000 KiB/s)
    Path source = dir.resolve("src");
    byte[] data = new byte[3 * 1024 * 1024];
    new Random(3).nextBytes(data);
    Files.createDirectories(source);
    Files.write(source.resolve("data.bin"), data);
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(local);
      List<RsyncProgress> heartbeats = new CopyOnWriteArrayList<>();
      env.setActivityHeartbeatListener(RsyncProgress.class, heartbeats::add);
      RsyncActivities stub =
          env.newActivityStub(
              RsyncActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());

      // when it runs
      RsyncResult result =
          stub.sync(
              new RsyncRequest(
                  "files",
                  "old",
                  LOCAL,
                  source.toString(),
                  "new",
                  LOCAL,
                  dir.resolve("dst").toString(),
                  List.of(),
                  false,
                  true,
                  1000,
                  false,
                  null,
                  null));

      // then the UI would have shown bytes and percent while it ran
      assertThat(result.filesTransferred()).isEqualTo(1);
      assertThat(heartbeats).isNotEmpty();
      assertThat(heartbeats)
          .anySatisfy(
              p -> {
                assertThat(p.bytes()).isPositive();
                assertThat(p.percent()).isBetween(1, 100);
              });
    } finally {
      env.close();
    }
  }

  @Test
  void sshHostWithoutSshTransportIsRefusedNamingTheHost() {
    // given a target over ssh in a worker without ssh
    Host ssh = sshHost("10.0.0.2", null, null);
    RsyncRequest request =
        new RsyncRequest(
            "files",
            "old",
            LOCAL,
            dir.toString(),
            "new",
            ssh,
            "/srv/app",
            List.of(),
            false,
            true,
            null,
            false,
            null,
            null);

    // when synced
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> local.sync(request, IGNORE));

    // then it stops at once with the transport's error, in the step's name
    assertThat(failure.getType()).isEqualTo(CutoverErrors.TRANSPORT_UNAVAILABLE);
    assertThat(failure.getOriginalMessage()).startsWith("step files on host new");
  }

  // --- over ssh, with a stand-in ssh client -----------------------------------------------------

  @Test
  void hostToHostPushRunsOnTheSourceCheckingTheTargetAgainstTheWorkersKey() throws Exception {
    // given two ssh hosts; the source runs rsync (push) with the step's identity, whose file name
    // has a space and a quote
    Path fakeSsh = fakeSsh("");
    Path source = dir.resolve("src");
    write(source.resolve("a b/it's.txt"), "moved\n");
    Path target = dir.resolve("dst dir");
    RsyncActivitiesImpl activities = new RsyncActivitiesImpl(sshShells(), fakeSsh.toString());
    RsyncRequest request =
        new RsyncRequest(
            "files",
            "old",
            sshHost("10.0.0.1", 2201, null),
            source.toString(),
            "new",
            sshHost("10.0.0.2", null, null),
            target.toString(),
            List.of(),
            false,
            true,
            null,
            false,
            "/home/deploy/.ssh/it's key",
            null);

    // when synced
    RsyncResult result = activities.sync(request, IGNORE);

    // then the tree arrived, through ssh to deploy at the target's address and port, strictly
    // checked
    // against a file holding exactly the key line the worker verified for the target, with the
    // identity
    assertThat(Files.readString(target.resolve("a b/it's.txt"))).isEqualTo("moved\n");
    assertThat(result.filesTransferred()).isEqualTo(1);
    List<String> args = Files.readAllLines(dir.resolve("ssh.args"));
    assertThat(args)
        .containsSequence("-p", "22")
        .containsSequence("-o", "BatchMode=yes")
        .containsSequence("-o", "StrictHostKeyChecking=yes")
        .containsSequence("-o", "GlobalKnownHostsFile=/dev/null")
        .containsSequence("-i", "/home/deploy/.ssh/it's key")
        .containsSequence("-l", "deploy", "10.0.0.2");
    assertThat(args).doesNotContain("--sender");
    assertThat(Files.readString(dir.resolve("known_hosts.seen"))).isEqualTo(KNOWN_LINE_NEW + "\n");
    // and the temporary known_hosts file is gone from the running host
    assertThat(Path.of(Files.readString(dir.resolve("known_hosts.path")).strip())).doesNotExist();
  }

  @Test
  void hostToHostPullRunsOnTheTargetCheckingTheSource() throws Exception {
    // given two ssh hosts and pull: the target runs rsync and fetches from the source on port 2201
    Path fakeSsh = fakeSsh("");
    Path source = dir.resolve("src");
    write(source.resolve("x.txt"), "x\n");
    Path target = dir.resolve("dst");
    RsyncActivitiesImpl activities = new RsyncActivitiesImpl(sshShells(), fakeSsh.toString());
    RsyncRequest request =
        new RsyncRequest(
            "files",
            "old",
            sshHost("10.0.0.1", 2201, null),
            source.toString(),
            "new",
            sshHost("10.0.0.2", null, null),
            target.toString(),
            List.of(),
            false,
            true,
            null,
            true,
            null,
            null);

    // when synced
    activities.sync(request, IGNORE);

    // then the target's ssh went to the source, checked against the source's line, and its remote
    // half was the sender
    assertThat(Files.readString(target.resolve("x.txt"))).isEqualTo("x\n");
    List<String> args = Files.readAllLines(dir.resolve("ssh.args"));
    assertThat(args)
        .containsSequence("-p", "2201")
        .containsSequence("-l", "deploy", "10.0.0.1")
        .contains("--sender");
    assertThat(args).doesNotContain("-i");
    assertThat(Files.readString(dir.resolve("known_hosts.seen"))).isEqualTo(KNOWN_LINE_OLD + "\n");
  }

  @Test
  void localToSshHostRunsOnTheWorkerWithTheHostsKeyFile() throws Exception {
    // given a local source and an ssh target with its own key file on the worker
    Path fakeSsh = fakeSsh("");
    Path source = dir.resolve("src");
    write(source.resolve("y.txt"), "y\n");
    Path target = dir.resolve("dst");
    RsyncActivitiesImpl activities = new RsyncActivitiesImpl(sshShells(), fakeSsh.toString());
    RsyncRequest request =
        new RsyncRequest(
            "files",
            "old",
            LOCAL,
            source.toString(),
            "new",
            sshHost("10.0.0.2", null, "/etc/cutover/keys/new_ed25519"),
            target.toString(),
            List.of(),
            false,
            true,
            null,
            false,
            null,
            null);

    // when synced
    activities.sync(request, IGNORE);

    // then the worker connected with that key
    assertThat(Files.readString(target.resolve("y.txt"))).isEqualTo("y\n");
    assertThat(Files.readAllLines(dir.resolve("ssh.args")))
        .containsSequence("-i", "/etc/cutover/keys/new_ed25519");
  }

  @Test
  void hostKeyRejectedBetweenHostsIsANonRetryableHostKeyMismatchNamingBoth() throws Exception {
    // given a target whose key, as the source sees it, is not the one the worker verified
    Path fakeSsh = fakeSsh("echo 'Host key verification failed.' >&2; exit 255");
    Path source = dir.resolve("src");
    write(source.resolve("x.txt"), "x\n");
    RsyncActivitiesImpl activities = new RsyncActivitiesImpl(sshShells(), fakeSsh.toString());
    RsyncRequest request =
        new RsyncRequest(
            "files",
            "old",
            sshHost("10.0.0.1", 2201, null),
            source.toString(),
            "new",
            sshHost("10.0.0.2", null, null),
            dir.resolve("dst").toString(),
            List.of(),
            false,
            true,
            null,
            false,
            null,
            null);

    // when synced
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.sync(request, IGNORE));

    // then no retry: the step, both hosts and the address are named
    assertThat(failure.getType()).isEqualTo(CutoverErrors.HOST_KEY_MISMATCH);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("step files")
        .contains("host old")
        .contains("host new")
        .contains("10.0.0.2");
    assertThat(Path.of(Files.readString(dir.resolve("known_hosts.path")).strip())).doesNotExist();
  }

  @Test
  void keyNotAuthorizedOnTheOtherHostIsANonRetryableAuthFailure() throws Exception {
    // given a target that refuses the source's key
    Path fakeSsh =
        fakeSsh("echo 'deploy@10.0.0.2: Permission denied (publickey,password).' >&2; exit 255");
    Path source = dir.resolve("src");
    write(source.resolve("x.txt"), "x\n");
    RsyncActivitiesImpl activities = new RsyncActivitiesImpl(sshShells(), fakeSsh.toString());
    RsyncRequest request =
        new RsyncRequest(
            "files",
            "old",
            sshHost("10.0.0.1", 2201, null),
            source.toString(),
            "new",
            sshHost("10.0.0.2", null, null),
            dir.resolve("dst").toString(),
            List.of(),
            false,
            true,
            null,
            false,
            "/home/deploy/.ssh/id_sync",
            null);

    // when synced
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.sync(request, IGNORE));

    // then the message says which host's key is not authorized where, for which user
    assertThat(failure.getType()).isEqualTo(CutoverErrors.AUTH_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("host old may not log in to host new as deploy")
        .contains("/home/deploy/.ssh/id_sync")
        .contains("authorized_keys");
  }

  @Test
  void rsyncMissingOnTheOtherHostIsANonRetryableMissingToolNamingIt() throws Exception {
    // given a target where the remote half of rsync cannot be started (not on its PATH)
    Path fakeSsh = fakeSsh("PATH=/nonexistent; export PATH");
    Path source = dir.resolve("src");
    write(source.resolve("x.txt"), "x\n");
    RsyncActivitiesImpl activities = new RsyncActivitiesImpl(sshShells(), fakeSsh.toString());
    RsyncRequest request =
        new RsyncRequest(
            "files",
            "old",
            sshHost("10.0.0.1", 2201, null),
            source.toString(),
            "new",
            sshHost("10.0.0.2", null, null),
            dir.resolve("dst").toString(),
            List.of(),
            false,
            true,
            null,
            false,
            null,
            null);

    // when synced
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.sync(request, IGNORE));

    // then the step stops, naming the host without rsync
    assertThat(failure.getType()).isEqualTo(CutoverErrors.MISSING_TOOL);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("rsync is not installed on host new");
  }

  @Test
  void connectionDroppedIsRetryable() throws Exception {
    // given an ssh link that breaks
    Path fakeSsh = fakeSsh("echo 'Connection closed by 10.0.0.2 port 22' >&2; exit 255");
    Path source = dir.resolve("src");
    write(source.resolve("x.txt"), "x\n");
    RsyncActivitiesImpl activities = new RsyncActivitiesImpl(sshShells(), fakeSsh.toString());
    RsyncRequest request =
        new RsyncRequest(
            "files",
            "old",
            sshHost("10.0.0.1", 2201, null),
            source.toString(),
            "new",
            sshHost("10.0.0.2", null, null),
            dir.resolve("dst").toString(),
            List.of(),
            false,
            true,
            null,
            false,
            null,
            null);

    // when synced
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.sync(request, IGNORE));

    // then Temporal retries it, and the message says what broke
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CONNECTION_LOST);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("step files on host old")
        .contains("host new")
        .contains("Connection closed");
  }

  // --- helpers --------------------------------------------------------------------------------

  private static RsyncRequest request(
      Path source, Path target, List<String> excludes, boolean delete) {
    return new RsyncRequest(
        "files",
        "old",
        LOCAL,
        source.toString(),
        "new",
        LOCAL,
        target.toString(),
        excludes,
        delete,
        true,
        null,
        false,
        null,
        null);
  }

  private static Host sshHost(String address, Integer port, String identityFile) {
    return new Host(
        Transport.SSH,
        address,
        "deploy",
        port,
        null,
        identityFile,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * "ssh" hosts that are shells on this machine, with the key lines a worker would have verified.
   */
  private static HostShells sshShells() {
    return new HostShells(
        new SshTransport() {
          @Override
          public HostShell shell(String hostName, Host host) {
            return new LocalShell(hostName, Set.of());
          }

          @Override
          public String knownHostsLine(String hostName, Host host) {
            return hostName.equals("old") ? KNOWN_LINE_OLD : KNOWN_LINE_NEW;
          }
        },
        Set.of());
  }

  /**
   * A stand-in for the ssh client: records its arguments one per line, the known_hosts file it was
   * given (content and path), runs {@code before}, then runs the remote command through a shell.
   */
  private Path fakeSsh(String before) throws IOException {
    Path script = dir.resolve("fake-ssh");
    String d = dir.toString();
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "printf '%s\\n' \"$@\" > '"
            + d
            + "/ssh.args'\n"
            + "kh=\n"
            + "while [ $# -gt 0 ]; do\n"
            + "  case \"$1\" in\n"
            + "    -o) case \"$2\" in UserKnownHostsFile=*) kh=\"${2#UserKnownHostsFile=}\";; esac; shift 2;;\n"
            + "    -p|-i|-l) shift 2;;\n"
            + "    -*) shift;;\n"
            + "    *) break;;\n"
            + "  esac\n"
            + "done\n"
            + "cp \"$kh\" '"
            + d
            + "/known_hosts.seen'; echo \"$kh\" > '"
            + d
            + "/known_hosts.path'\n"
            + "shift\n"
            + before
            + "\n"
            + "exec /bin/sh -c \"$*\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  /** Every entry under root: type, content hash, mode and modification time, or the link target. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          entries.put(rel, "link -> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          entries.put(
              rel, "dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        } else {
          entries.put(
              rel,
              "file "
                  + sha256(Files.readAllBytes(p))
                  + " "
                  + PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                  + " "
                  + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000);
        }
      }
    }
    return entries;
  }

  private static long sizeOfFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
