package dev.cutover.hosts.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cutover.hosts.ActivityAttempt;
import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.Leases;
import dev.cutover.testing.ProcessCheck;
import dev.cutover.testing.SshTestServer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over SSH, a retry first stops what an earlier attempt of the same activity left running on the
 * host when its worker died: real processes under the in-process sshd, leases in its user's home.
 */
class SshLeaseTest {
  static final Duration LONG = Duration.ofMinutes(5);

  @TempDir Path dir;

  SshTestServer server;
  SshConnections ssh;
  HostShell shell;
  Path leases;
  String workflow = "wf-" + UUID.randomUUID();

  @BeforeEach
  void startServer() throws IOException {
    server = SshTestServer.start();
    ssh = new SshConnections(SshSettings.defaults(), new SecretResolver(Map.of()));
    shell = ssh.shell("old", server.host(server.writeKnownHosts(dir.resolve("known_hosts"))));
    leases = server.home().resolve(".cutover/run");
  }

  @AfterEach
  void stopServer() throws IOException {
    ssh.close();
    server.close();
  }

  ActivityAttempt attempt(String activityId, int attempt) {
    return ActivityAttempt.of(workflow, "run-1", activityId, attempt);
  }

  @Test
  void aRetryStopsWhatTheAttemptOfADeadWorkerLeftRunningBeforeItsScriptStarts() throws Exception {
    // given attempt 1 ticking on the host, and its worker gone: the connection drops and no new one
    // can be made to stop the script, as when the worker process is killed
    Path ticks = dir.resolve("ticks");
    ShellCommand ticking =
        ShellCommand.of(Leases.ticking(ticks), LONG).withAttempt(attempt("5", 1));
    CompletableFuture<ShellResult> first = CompletableFuture.supplyAsync(() -> shell.exec(ticking));
    long group = Leases.awaitGroup(leases, attempt("5", 1));
    Leases.awaitTicks(ticks, 2);
    server.stop();
    Throwable lost = catchThrowable(() -> first.get(1, TimeUnit.MINUTES));
    int ticksAfterTheDrop = Leases.lines(ticks).size();
    Thread.sleep(300);
    assertThat(lost).isInstanceOf(ExecutionException.class);
    assertThat(((ApplicationFailure) lost.getCause()).getType())
        .isEqualTo(CutoverErrors.CONNECTION_LOST);
    assertThat(Leases.lines(ticks).size())
        .as("the orphaned script still ticks")
        .isGreaterThan(ticksAfterTheDrop);

    // when attempt 2 of the same activity runs a script on the host
    server.restart();
    List<String> watched = new CopyOnWriteArrayList<>();
    ShellResult second =
        shell.exec(
            ShellCommand.of("echo attempt-2 >> " + Sh.quote(ticks.toString()) + "; echo done", LONG)
                .withAttempt(attempt("5", 2)),
            new ExecWatch() {
              @Override
              public void line(String line) {
                watched.add(line);
              }
            });
    Thread.sleep(500);

    // then attempt 1's group was gone before attempt 2's script started, and attempt 2 says what it
    // stopped
    Leases.assertRetryStoppedItFirst(ticks, group, second, watched, "old");
    assertThat(Leases.goneSoon(leases, attempt("5", 1))).isTrue();
  }

  @Test
  void aLeaseWhosePidNowBelongsToAnotherProcessStopsNothingAndIsRemoved() throws Exception {
    // given a lease of attempt 1 naming a live process, but with another start time: the pid was
    // reused
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      Path lease = Leases.write(leases, attempt("7", 1), other.pid(), "1");

      // when attempt 2 runs a script
      ShellResult second =
          shell.exec(ShellCommand.of("echo ran", LONG).withAttempt(attempt("7", 2)));

      // then the other process lives on, nothing was said to be stopped, and the stale lease is
      // gone
      assertThat(second.outputTail()).isEqualTo("ran");
      assertThat(other.isAlive()).isTrue();
      assertThat(lease).doesNotExist();
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void aRetryLeavesItsOwnAttemptsScriptsAndOtherActivitiesAlone() throws Exception {
    // given a script of attempt 2 of an activity and one of attempt 1 of another activity, both
    // running
    Path go = dir.resolve("go");
    String waiting =
        "while [ ! -e " + Sh.quote(go.toString()) + " ]; do sleep 0.05; done; echo finished";
    CompletableFuture<ShellResult> sameAttempt =
        CompletableFuture.supplyAsync(
            () -> shell.exec(ShellCommand.of(waiting, LONG).withAttempt(attempt("9", 2))));
    CompletableFuture<ShellResult> otherActivity =
        CompletableFuture.supplyAsync(
            () -> shell.exec(ShellCommand.of(waiting, LONG).withAttempt(attempt("10", 1))));
    long sameGroup = Leases.awaitGroup(leases, attempt("9", 2));
    long otherGroup = Leases.awaitGroup(leases, attempt("10", 1));

    // when another script of attempt 2 runs, and then a script of attempt 2 of a third activity
    ShellResult concurrent =
        shell.exec(ShellCommand.of("echo also-attempt-2", LONG).withAttempt(attempt("9", 2)));
    ShellResult third =
        shell.exec(ShellCommand.of("echo third", LONG).withAttempt(attempt("11", 2)));

    // then neither stopped anything: both scripts run on and end on their own
    assertThat(concurrent.outputTail()).isEqualTo("also-attempt-2");
    assertThat(third.outputTail()).isEqualTo("third");
    assertThat(ProcessCheck.isRunning(sameGroup)).isTrue();
    assertThat(ProcessCheck.isRunning(otherGroup)).isTrue();
    Files.createFile(go);
    assertThat(sameAttempt.get(1, TimeUnit.MINUTES).stdout()).isEqualTo("finished\n");
    assertThat(otherActivity.get(1, TimeUnit.MINUTES).stdout()).isEqualTo("finished\n");
  }

  @Test
  void theLeaseIsThereWhileTheScriptRunsAndGoneAfterANormalEndAndAfterATimeout() throws Exception {
    // given a script that lists the leases while it runs, and one that overruns its timeout
    ShellCommand listing =
        ShellCommand.of(Leases.listOnceLeased(leases, attempt("3", 1)), LONG)
            .withAttempt(attempt("3", 1));
    ShellCommand stuck =
        ShellCommand.of("sleep 300", Duration.ofSeconds(1)).withAttempt(attempt("4", 1));

    // when both run
    ShellResult listed = shell.exec(listing);
    ShellResult timedOut = shell.exec(stuck);

    // then the first saw its own lease, and neither left one behind
    assertThat(listed.stdout()).startsWith(attempt("3", 1).key() + ".1.");
    assertThat(Leases.goneSoon(leases, attempt("3", 1))).isTrue();
    assertThat(timedOut.timedOut()).isTrue();
    assertThat(Leases.goneSoon(leases, attempt("4", 1))).isTrue();
  }

  @Test
  void aLeaseDirectoryThatCannotBeWrittenIsAWarningAndTheScriptStillRuns() throws Exception {
    // given a host where ~/.cutover is a file, so no lease directory can be made there
    Files.writeString(server.home().resolve(".cutover"), "not a directory\n");

    // when a script of an attempt runs
    ShellResult result = shell.exec(ShellCommand.of("echo ran", LONG).withAttempt(attempt("6", 2)));

    // then it ran and succeeded, and its output says it had no lease
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("ran\n");
    assertThat(result.outputTail())
        .startsWith("warning: host old: this script runs without a lease (cannot write ")
        .endsWith("ran");
  }

  @Test
  void outsideAnActivityNothingIsRecorded() {
    // given a script that runs for no activity attempt (a CLI check)
    ShellCommand command = ShellCommand.of("echo plain", LONG);

    // when it runs
    ShellResult result = shell.exec(command);

    // then it ran as before, and the host has no lease directory
    assertThat(result.outputTail()).isEqualTo("plain");
    assertThat(server.home().resolve(".cutover")).doesNotExist();
  }

  @Test
  void aRootScriptWhoseHomeBelongsToAnotherUserKeepsItsLeaseUnderRun() throws Exception {
    // given a script that runs as root with a HOME another user owns (sudo that keeps the login
    // user's HOME): root must not act on leases that user could write
    assumeTrue(uid() == 0, "runs as root only");
    Files.setAttribute(server.home(), "unix:uid", 65534);
    try {
      ActivityAttempt attempt = attempt("12", 1);
      Path rootLeases = Path.of("/run/cutover/leases");

      // when it runs
      ShellResult result =
          shell.exec(
              ShellCommand.of(Leases.listOnceLeased(rootLeases, attempt), LONG)
                  .withAttempt(attempt));

      // then its lease was in root's own directory while it ran, not in that home, and is gone now
      assertThat(result.stdout()).contains(attempt.key() + ".1.");
      assertThat(server.home().resolve(".cutover")).doesNotExist();
      assertThat(Leases.goneSoon(rootLeases, attempt)).isTrue();
    } finally {
      Files.setAttribute(server.home(), "unix:uid", uid());
    }
  }

  private static int uid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }
}
