package dev.cutover.steps.rsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.ssh.SshConnections;
import dev.cutover.hosts.ssh.SshSettings;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.SshTestServer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many SSH sessions (exec channels) an rsync step opens per attempt, counted by two real SSH
 * servers (in-process sshd running real processes), with the real rsync: on the host that runs
 * rsync, one session does the checks, the work directory, the copy and the clean-up; the other host
 * gets one for its own side. rsync's own hop between the hosts is a stand-in ssh client here (the
 * bench counts the real one).
 */
@RealTools
class RsyncSessionsTest {
  static final Heartbeat<RsyncProgress> IGNORE = progress -> {};

  @TempDir Path dir;

  SshTestServer old;
  SshTestServer neu;
  SshConnections ssh;
  Host oldHost;
  Host newHost;

  @BeforeEach
  void startHosts() throws IOException {
    old = SshTestServer.start();
    neu = SshTestServer.start();
    ssh = new SshConnections(SshSettings.defaults(), new SecretResolver(Map.of()));
    oldHost = old.host(old.writeKnownHosts(dir.resolve("old_known_hosts")));
    newHost = neu.host(neu.writeKnownHosts(dir.resolve("new_known_hosts")));
  }

  @AfterEach
  void stopHosts() throws IOException {
    ssh.close();
    old.close();
    neu.close();
  }

  @Test
  void pushTakesOneSessionOnEachHostAndLeavesNoWorkDirectory() throws Exception {
    // given a tree on old, pushed to new (old runs rsync)
    Path source = write(dir.resolve("src/a.txt"), "a\n").getParent();
    Path target = dir.resolve("dst/deeper");
    RsyncActivitiesImpl activities = activities();

    // when synced, counting the sessions each host's sshd saw
    int onOld = old.commandCount();
    int onNew = neu.commandCount();
    RsyncResult result = activities.sync(request(source, target, false), IGNORE);

    // then the tree arrived; old ran one script (checks, copy, clean-up), new one (its target)
    assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("a\n");
    assertThat(result.filesTransferred()).isEqualTo(1);
    assertThat(old.commandCount() - onOld).isEqualTo(1);
    assertThat(neu.commandCount() - onNew).isEqualTo(1);
    // and rsync's ssh was given new's verified key in a work directory that is gone now
    assertThat(Files.readString(dir.resolve("known_hosts.seen")))
        .isEqualTo(neu.knownHostsLine().strip() + "\n");
    Path knownHosts = Path.of(Files.readString(dir.resolve("known_hosts.path")).strip());
    assertThat(knownHosts.toString()).startsWith(RsyncActivitiesImpl.WORK_DIR_PREFIX);
    assertThat(knownHosts.getParent()).doesNotExist();
  }

  @Test
  void pullTakesOneSessionOnEachHost() throws Exception {
    // given pull: new runs rsync and fetches from old
    Path source = write(dir.resolve("src/b.txt"), "b\n").getParent();
    Path target = dir.resolve("dst");
    RsyncActivitiesImpl activities = activities();

    // when synced twice (the second copies nothing, as an idle presync round)
    activities.sync(request(source, target, true), IGNORE);
    int onOld = old.commandCount();
    int onNew = neu.commandCount();
    activities.sync(request(source, target, true), IGNORE);

    // then each round took one session on each host
    assertThat(Files.readString(target.resolve("b.txt"))).isEqualTo("b\n");
    assertThat(old.commandCount() - onOld).isEqualTo(1);
    assertThat(neu.commandCount() - onNew).isEqualTo(1);
  }

  @Test
  void aMissingSourceFoundByTheRunningHostsScriptIsStillANonRetryableInvalidConfig() {
    // given a push whose source directory does not exist on old
    Path source = dir.resolve("no-such-source");
    RsyncActivitiesImpl activities = activities();

    // when synced
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.sync(request(source, dir.resolve("t"), false), IGNORE));

    // then the check inside the transfer's script names the source host and path, as its own
    // session did
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("step files on host old")
        .contains("source directory " + source + " does not exist");
  }

  private RsyncActivitiesImpl activities() {
    try {
      return new RsyncActivitiesImpl(new HostShells(ssh, Set.of()), fakeSsh().toString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private RsyncRequest request(Path source, Path target, boolean pull) {
    return new RsyncRequest(
        "files",
        "old",
        oldHost,
        source.toString(),
        "new",
        newHost,
        target.toString(),
        List.of(),
        false,
        true,
        null,
        pull,
        null,
        null);
  }

  /**
   * A stand-in for the ssh client rsync runs on the running host: records the known_hosts file it
   * was given (content and path), then runs the remote command here, as the other host's sshd
   * would.
   */
  private Path fakeSsh() throws IOException {
    Path script = dir.resolve("fake-ssh");
    String d = dir.toString();
    Files.writeString(
        script,
        "#!/bin/sh\n"
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
            + "exec /bin/sh -c \"$*\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
