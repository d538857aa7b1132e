package dev.cutover.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.Leases;
import dev.cutover.testing.ProcessCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the local transport, a retry first stops what an earlier attempt of the same activity left
 * running when its worker died: the children of a JVM killed with SIGKILL live on, and the next
 * attempt's script stops them. Real processes; the leases in a directory of the test's own.
 */
class LocalShellLeaseTest {
  static final Duration LONG = Duration.ofMinutes(5);

  @TempDir Path dir;

  String workflow = "wf-" + UUID.randomUUID();

  Path leases() {
    return dir.resolve("leases");
  }

  LocalShell shell() {
    return new LocalShell("old", Set.of(), "sudo", leases().toString());
  }

  ActivityAttempt attempt(String activityId, int attempt) {
    return ActivityAttempt.of(workflow, "run-1", activityId, attempt);
  }

  @Test
  void aRetryStopsWhatTheAttemptOfAKilledWorkerLeftRunningBeforeItsScriptStarts() throws Exception {
    // given a worker JVM running attempt 1's ticking script, killed with SIGKILL in the middle
    Path ticks = dir.resolve("ticks");
    Process worker =
        new ProcessBuilder(
                javaBinary(),
                "-cp",
                System.getProperty("java.class.path"),
                WorkerThatDies.class.getName(),
                leases().toString(),
                workflow,
                "5",
                "1",
                Leases.ticking(ticks))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker.log").toFile())
            .start();
    long group;
    try {
      group = Leases.awaitGroup(leases(), attempt("5", 1));
      Leases.awaitTicks(ticks, 2);
    } finally {
      worker.destroyForcibly();
    }
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int ticksAfterTheKill = Leases.lines(ticks).size();
    Thread.sleep(300);
    assertThat(Leases.lines(ticks).size())
        .as("the orphaned script still ticks")
        .isGreaterThan(ticksAfterTheKill);

    // when attempt 2 of the same activity runs a script, in this worker
    List<String> watched = new CopyOnWriteArrayList<>();
    ShellResult second =
        shell()
            .exec(
                ShellCommand.of(
                        "echo attempt-2 >> " + Sh.quote(ticks.toString()) + "; echo done", LONG)
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
    assertThat(Leases.goneSoon(leases(), attempt("5", 1))).isTrue();
  }

  @Test
  void aLeaseWhosePidNowBelongsToAnotherProcessStopsNothingAndIsRemoved() throws Exception {
    // given a lease of attempt 1 naming a live process, but with another start time: the pid was
    // reused
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      Path lease = Leases.write(leases(), attempt("7", 1), other.pid(), "1");

      // when attempt 2 runs a script
      ShellResult second =
          shell().exec(ShellCommand.of("echo ran", LONG).withAttempt(attempt("7", 2)));

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
            () -> shell().exec(ShellCommand.of(waiting, LONG).withAttempt(attempt("9", 2))));
    CompletableFuture<ShellResult> otherActivity =
        CompletableFuture.supplyAsync(
            () -> shell().exec(ShellCommand.of(waiting, LONG).withAttempt(attempt("10", 1))));
    long sameGroup = Leases.awaitGroup(leases(), attempt("9", 2));
    long otherGroup = Leases.awaitGroup(leases(), attempt("10", 1));

    // when another script of attempt 2 runs, and then a script of attempt 2 of a third activity
    ShellResult concurrent =
        shell().exec(ShellCommand.of("echo also-attempt-2", LONG).withAttempt(attempt("9", 2)));
    ShellResult third =
        shell().exec(ShellCommand.of("echo third", LONG).withAttempt(attempt("11", 2)));

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
    // given a script that lists the leases while it runs, and one with a background job that
    // overruns its timeout
    ShellCommand listing =
        ShellCommand.of(Leases.listOnceLeased(leases(), attempt("3", 1)), LONG)
            .withAttempt(attempt("3", 1));
    Path pidFile = dir.resolve("pid");
    ShellCommand stuck =
        ShellCommand.of(
                "sleep 300 & echo $! > " + Sh.quote(pidFile.toString()) + "; sleep 300",
                Duration.ofSeconds(1))
            .withAttempt(attempt("4", 1));

    // when both run
    ShellResult listed = shell().exec(listing);
    ShellResult timedOut = shell().exec(stuck);

    // then the first saw its own lease, neither left one behind, and the timeout killed the whole
    // group
    assertThat(listed.stdout()).startsWith(attempt("3", 1).key() + ".1.");
    assertThat(Leases.goneSoon(leases(), attempt("3", 1))).isTrue();
    assertThat(timedOut.timedOut()).isTrue();
    assertThat(Leases.goneSoon(leases(), attempt("4", 1))).isTrue();
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(pidFile))).isTrue();
  }

  @Test
  void withinAnAttemptTheScriptKeepsItsEnvironmentInputAndDirectory() throws IOException {
    // given a script of an attempt with a secret variable, a PATH of its own, input and a working
    // directory
    Path work = Files.createDirectories(dir.resolve("work dir"));
    String secret = "it's $ecret " + UUID.randomUUID();
    ShellCommand command =
        new ShellCommand(
                "printf '%s|%s|' \"$PW\" \"$PATH\"; pwd; cat",
                Map.of("PW", secret, "PATH", "/usr/bin:/bin"),
                List.of(secret),
                work.toString(),
                false,
                "input".getBytes(),
                LONG)
            .withAttempt(attempt("8", 1));

    // when it runs through the wrapper
    ShellResult result = shell().exec(command);

    // then it saw all of it as a plain script would, and its PATH did not keep the wrapper from its
    // lease
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo(secret + "|/usr/bin:/bin|" + work + "\ninput\n");
    assertThat(result.outputTail()).doesNotContain(secret);
  }

  @Test
  void aScriptOfAnAttemptLeadsItsOwnSessionAndItsLeaseNamesItsStartAndBoot() throws Exception {
    // given a script of an attempt that prints its shell's pid, group, session and start time, then
    // its lease
    ShellCommand command =
        ShellCommand.of(
                "echo \"$$ $(cut -d' ' -f5,6,22 /proc/$$/stat)\"; cat "
                    + Sh.quote(leases().toString())
                    + "/"
                    + attempt("12", 1).key()
                    + ".1.$$",
                LONG)
            .withAttempt(attempt("12", 1));

    // when it runs
    String[] lines = shell().exec(command).stdout().split("\n");

    // then the script's shell leads a session and group of its own (what a kill stops whole), and
    // its lease holds that leader's start time and this boot, as the wrapper of a retry reads it
    String[] ids = lines[0].trim().split(" ");
    assertThat(ids[1]).isEqualTo(ids[0]);
    assertThat(ids[2]).isEqualTo(ids[0]);
    assertThat(lines[1]).isEqualTo(ids[3] + " " + Leases.bootId());
    assertThat(Leases.goneSoon(leases(), attempt("12", 1))).isTrue();
  }

  @Test
  void outsideAnActivityTheScriptRunsAsAPlainChildAndRecordsNothing() {
    // given a script for no activity attempt
    ShellCommand command = ShellCommand.of("echo \"$$ $(cut -d' ' -f5 /proc/$$/stat)\"", LONG);

    // when it runs
    String[] ids = shell().exec(command).stdout().trim().split(" ");

    // then it is in the worker's process group, not one of its own, and no lease directory was made
    assertThat(ids[1]).isNotEqualTo(ids[0]);
    assertThat(leases()).doesNotExist();
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
