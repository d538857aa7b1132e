package dev.cutover.hosts.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.ProcessCheck;
import dev.cutover.testing.SshTestServer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ssh transport's shell against a real SSH server (in-process MINA sshd running real {@code
 * /bin/sh} processes): the same semantics as the local shell, and no process left behind when a
 * script is stopped or its connection drops.
 */
class SshShellTest {
  /** Long enough that only a kill ends these scripts: nothing here waits for it to pass. */
  static final Duration LONG = Duration.ofMinutes(5);

  @TempDir Path dir;

  SshTestServer server;
  SshConnections ssh;
  HostShell shell;

  @BeforeEach
  void startServer() throws IOException {
    server = SshTestServer.start();
    ssh = new SshConnections(SshSettings.defaults(), new SecretResolver(Map.of()));
    shell = ssh.shell("old", server.host(server.writeKnownHosts(dir.resolve("known_hosts"))));
  }

  @AfterEach
  void stopServer() throws IOException {
    ssh.close();
    server.close();
  }

  @Test
  void runsACommandAndReturnsExitCodeStdoutAndTail() {
    // given a script that writes on stdout and stderr and succeeds
    ShellCommand command =
        ShellCommand.of("echo first; echo second >&2; echo third", Duration.ofMinutes(1));

    // when it runs on the host
    ShellResult result = shell.exec(command);

    // then the exit code, the stdout and the tail of both streams come back, without the wrapper's
    // markers
    assertThat(result.exitCode()).isZero();
    assertThat(result.ok()).isTrue();
    assertThat(result.stdout()).isEqualTo("first\nthird\n");
    assertThat(result.outputTail().split("\n"))
        .containsExactlyInAnyOrder("first", "second", "third");
    assertThat(result.outputTail()).doesNotContain("cutover-");
    assertThat(result.timedOut()).isFalse();
    assertThat(result.truncated()).isFalse();
    assertThat(shell.hostName()).isEqualTo("old");
  }

  @Test
  void stdinDataReachesTheScriptByteForByte() {
    // given a script that counts and echoes its input, and input larger than any buffer on the way
    byte[] input = ("line of input\n".repeat(30_000) + "last").getBytes(StandardCharsets.UTF_8);
    ShellCommand command =
        ShellCommand.of("wc -c; tail -n 1", Duration.ofMinutes(1)).withStdin(input);
    ShellCommand tailOnly = ShellCommand.of("tail -c 4", Duration.ofMinutes(1)).withStdin(input);

    // when they run
    ShellResult counted = shell.exec(command);
    ShellResult last = shell.exec(tailOnly);

    // then every byte arrived, none was eaten by the wrapper that reads its own part of stdin first
    assertThat(counted.stdout().trim()).isEqualTo(String.valueOf(input.length));
    assertThat(last.stdout()).isEqualTo("last\n");
  }

  @Test
  void withoutStdinTheScriptReadsEndOfFileAtOnce() {
    // given a script that reads stdin, and no input
    ShellCommand command = ShellCommand.of("cat; echo done", LONG);

    // when it runs
    ShellResult result = shell.exec(command);

    // then cat ends at once instead of waiting forever
    assertThat(result.stdout()).isEqualTo("done\n");
  }

  @Test
  void environmentValuesReachTheScriptAndAreMaskedInTheTailAndTheWatch() {
    // given secret values, one multi-line and one with every quoting hazard, passed as environment
    String token = "tok-" + UUID.randomUUID();
    String multi = "-----BEGIN KEY-----\nline-" + UUID.randomUUID() + "\n-----END KEY-----";
    String hazard = "it's \"$HOME\" `id` $(id) \\ ;|&";
    ShellCommand command =
        new ShellCommand(
            "printf '%s\\n' \"$TOKEN\"; printf '%s\\n' \"$MULTI\"; printf '%s\\n' \"$HAZARD\"",
            Map.of("TOKEN", token, "MULTI", multi, "HAZARD", hazard),
            List.of(token, multi, hazard),
            null,
            false,
            null,
            LONG);
    List<String> watched = new CopyOnWriteArrayList<>();

    // when the script prints them
    ShellResult result =
        shell.exec(
            command,
            new ExecWatch() {
              @Override
              public void line(String line) {
                watched.add(line);
              }
            });

    // then the script saw the exact values, and neither the tail nor the watched lines show them
    assertThat(result.stdout()).isEqualTo(token + "\n" + multi + "\n" + hazard + "\n");
    assertThat(result.outputTail())
        .doesNotContain(token)
        .doesNotContain("line-")
        .doesNotContain(hazard)
        .contains("***");
    assertThat(watched)
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).doesNotContain(token).doesNotContain("line-"));
  }

  @Test
  void environmentValuesNeverAppearOnAProcessCommandLineOfTheHost() throws Exception {
    // given a script holding secrets in its environment that waits until the test has looked around
    String token = "tok-" + UUID.randomUUID();
    String secondLine = "line-" + UUID.randomUUID();
    Path ready = dir.resolve("ready");
    Path go = dir.resolve("go");
    ShellCommand command =
        new ShellCommand(
            ": > ready; while [ ! -e go ]; do sleep 0.05; done; printf '%s|%s\\n' \"$TOKEN\" \"$MULTI\" | wc -l",
            Map.of("TOKEN", token, "MULTI", "first\n" + secondLine),
            List.of(token),
            dir.toString(),
            false,
            null,
            LONG);

    // when it runs, every process's command line on the host is read
    CompletableFuture<ShellResult> running =
        CompletableFuture.supplyAsync(() -> shell.exec(command));
    awaitFile(ready, running);
    List<String> commandLines = allCommandLines();
    Files.createFile(go);
    ShellResult result = running.get(2, TimeUnit.MINUTES);

    // then the script had the values, and no command line held one (the wrapper's was among them)
    assertThat(result.stdout().trim()).isEqualTo("2");
    assertThat(commandLines).anySatisfy(line -> assertThat(line).contains("__cl_in=$(cat)"));
    assertThat(commandLines).noneSatisfy(line -> assertThat(line).contains(token));
    assertThat(commandLines).noneSatisfy(line -> assertThat(line).contains(secondLine));
  }

  @Test
  void runsInTheWorkingDirectoryOrTheLoginHome() throws IOException {
    // given a directory with a space in its name, and a command without one
    Path work = Files.createDirectories(dir.resolve("work dir"));
    ShellCommand inWork =
        new ShellCommand("pwd", Map.of(), List.of(), work.toString(), false, null, LONG);
    ShellCommand inHome = ShellCommand.of("pwd", LONG);

    // when both run
    ShellResult there = shell.exec(inWork);
    ShellResult home = shell.exec(inHome);

    // then the first ran in the directory, the second where the login starts
    assertThat(there.stdout()).isEqualTo(work.toRealPath() + "\n");
    assertThat(home.stdout()).isEqualTo(server.home().toRealPath() + "\n");
  }

  @Test
  void aMissingWorkingDirectoryIsANonRetryableInvalidConfigNamingIt() {
    // given a working directory that does not exist on the host
    String missing = dir.resolve("no such dir").toString();
    ShellCommand command =
        new ShellCommand(
            "touch created-by-mistake", Map.of(), List.of(), missing, false, null, LONG);

    // when the script should run there
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> shell.exec(command));

    // then it stops for good with the directory named, and the script did not run anywhere
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("host old").contains(missing);
    assertThat(server.home().resolve("created-by-mistake")).doesNotExist();
  }

  @Test
  void nonZeroExitAndCommandNotFoundAreResultsNotExceptions() {
    // given a failing script and a command that does not exist
    ShellCommand failing = ShellCommand.of("echo 'database is locked' >&2; exit 3", LONG);
    ShellCommand missing = ShellCommand.of("cutover-no-such-command-4f1c", LONG);

    // when they run
    ShellResult failed = shell.exec(failing);
    ShellResult notFound = shell.exec(missing);

    // then both are results that ShellFailures can classify, as with the local shell
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.outputTail()).isEqualTo("database is locked");
    assertThat(notFound.exitCode()).isEqualTo(127);
    assertThat(notFound.outputTail()).contains("not found");
  }

  @Test
  void theScriptRunsInAProcessGroupAndSessionOfItsOwn() throws IOException {
    // given the test JVM's own process group (the in-process sshd starts commands inside it)
    String jvmGroup = statFields(Files.readString(Path.of("/proc/self/stat")))[2];
    ShellCommand command = ShellCommand.of("echo \"$$ $(cut -d' ' -f5,6 /proc/$$/stat)\"", LONG);

    // when a script reports its pid, process group and session
    String[] ids = shell.exec(command).stdout().trim().split(" ");

    // then it leads a group and session of its own: killing that group cannot reach the JVM or sshd
    assertThat(ids[1]).isEqualTo(ids[0]);
    assertThat(ids[2]).isEqualTo(ids[0]);
    assertThat(ids[1]).isNotEqualTo(jvmGroup);
  }

  @Test
  void timeoutKillsTheRemoteProcessTreeAndReturnsTimedOut() throws Exception {
    // given a script that starts a background job and then outlives its timeout
    Path pidFile = dir.resolve("pid");
    ShellCommand command =
        ShellCommand.of(
            "sleep 300 & echo $! > " + pidFile + "; echo started; sleep 300",
            Duration.ofSeconds(2));

    // when it runs
    ShellResult result = shell.exec(command);

    // then the result says timed out, and the background job is gone from the host too
    assertThat(result.timedOut()).isTrue();
    assertThat(result.exitCode()).isEqualTo(-1);
    assertThat(result.ok()).isFalse();
    assertThat(result.outputTail()).contains("started").doesNotContain("Terminated");
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(pidFile))).isTrue();
  }

  @Test
  void aBeatThatThrowsKillsTheScriptAndTheExceptionPropagates() throws Exception {
    // given a long script with a background job, watched by a beat that throws as a canceled
    // activity's heartbeat does
    Path pidFile = dir.resolve("pid");
    ShellCommand command =
        ShellCommand.of("sleep 300 & echo $! > " + pidFile + "; sleep 300", LONG);
    RuntimeException canceled = new IllegalStateException("activity canceled");
    ExecWatch watch =
        new ExecWatch() {
          @Override
          public void beat(long elapsedMillis, String lastLine) {
            throw canceled;
          }
        };

    // when it runs
    Throwable thrown = catchThrowable(() -> shell.exec(command, watch));

    // then the caller gets the beat's exception, and nothing the script started still runs
    assertThat(thrown).isSameAs(canceled);
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(pidFile))).isTrue();
  }

  @Test
  void oneConnectionServesManyCommandsInTurnAndAtOnce() throws Exception {
    // given a host reached by several shells (as several activities would), and commands in turn
    // and in parallel
    HostShell another = ssh.shell("old", server.host(dir.resolve("known_hosts")));

    // when they run
    for (int i = 0; i < 10; i++) {
      assertThat(shell.exec(ShellCommand.of("echo " + i, LONG)).stdout()).isEqualTo(i + "\n");
    }
    List<CompletableFuture<ShellResult>> parallel = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String word = "p" + i;
      parallel.add(
          CompletableFuture.supplyAsync(
              () -> another.exec(ShellCommand.of("sleep 0.2; echo " + word, LONG))));
    }

    // then all succeed over the one connection the worker opened
    for (int i = 0; i < parallel.size(); i++) {
      assertThat(parallel.get(i).get(2, TimeUnit.MINUTES).stdout()).isEqualTo("p" + i + "\n");
    }
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(server.commandCount()).isEqualTo(16);
  }

  @Test
  void aConnectionCutWhileAScriptRunsIsARetryableConnectionLostAndTheNextCommandReconnects()
      throws Exception {
    // given a script that has started and printed, with a background job
    Path pidFile = dir.resolve("pid");
    ShellCommand command =
        ShellCommand.of("echo started; sleep 300 & echo $! > " + pidFile + "; sleep 300", LONG);
    CountDownLatch started = new CountDownLatch(1);
    ExecWatch watch =
        new ExecWatch() {
          @Override
          public void line(String line) {
            if (line.equals("started")) {
              started.countDown();
            }
          }
        };
    CompletableFuture<ShellResult> running =
        CompletableFuture.supplyAsync(() -> shell.exec(command, watch));
    assertThat(started.await(2, TimeUnit.MINUTES)).isTrue();
    awaitFile(pidFile, running);

    // when the network cuts the connection
    server.dropAllSessions();
    Throwable thrown = catchThrowable(() -> running.get(2, TimeUnit.MINUTES));

    // then the step learns the connection was lost (retryable) with what the script printed,
    // the script is stopped over a new connection, and the next command runs
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    ApplicationFailure failure = (ApplicationFailure) thrown.getCause();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CONNECTION_LOST);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("host old").contains("started");
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(pidFile))).isTrue();
    assertThat(shell.exec(ShellCommand.of("echo back", LONG)).stdout()).isEqualTo("back\n");
    assertThat(server.connectionCount()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aRestartedServerIsReconnectedTransparently() throws Exception {
    // given a connection in use, and then sshd restarted on the same port with the same key
    assertThat(shell.exec(ShellCommand.of("echo before", LONG)).stdout()).isEqualTo("before\n");
    server.restart();

    // when the next command runs
    ShellResult after = shell.exec(ShellCommand.of("echo after", LONG));

    // then it runs over a new connection, without the caller seeing the old one die
    assertThat(after.stdout()).isEqualTo("after\n");
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void sudoRunsTheWholeWrapperSoEnvironmentAndKillingStillWork() throws Exception {
    // given a host whose sudo runs what it is given (a stand-in that logs its arguments: the test
    // machine has none)
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path sudoLog = dir.resolve("sudo.log");
    Path sudo = bin.resolve("sudo");
    Files.writeString(
        sudo,
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> "
            + sudoLog
            + "\n"
            + "[ \"$1\" = -n ] && shift; [ \"$1\" = -- ] && shift\nSUDO_USER=deploy exec \"$@\"\n");
    Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
    server.prependPath(bin);
    String token = "tok-" + UUID.randomUUID();
    ShellCommand withEnv =
        new ShellCommand(
            "echo \"$TOKEN via $SUDO_USER\"",
            Map.of("TOKEN", token),
            List.of(token),
            null,
            true,
            null,
            LONG);
    Path pidFile = dir.resolve("pid");
    ShellCommand stuck =
        ShellCommand.of("sleep 300 & echo $! > " + pidFile + "; sleep 300", Duration.ofSeconds(2))
            .withSudo(true);

    // when a script with environment runs through sudo, and one that overruns its timeout
    ShellResult result = shell.exec(withEnv);
    ShellResult timedOut = shell.exec(stuck);

    // then the environment reached the script under sudo, the kill went through sudo too, and sudo
    // never saw a value
    assertThat(result.stdout()).isEqualTo(token + " via deploy\n");
    assertThat(timedOut.timedOut()).isTrue();
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(pidFile))).isTrue();
    List<String> sudoCalls = Files.readAllLines(sudoLog);
    assertThat(sudoCalls)
        .allSatisfy(call -> assertThat(call).startsWith("-n -- /bin/sh -c ").doesNotContain(token));
    assertThat(sudoCalls).anySatisfy(call -> assertThat(call).contains("kill -s TERM"));
  }

  /** Waits for a file the script writes; fails early if the script already ended. */
  static void awaitFile(Path file, CompletableFuture<?> running) throws Exception {
    for (int i = 0; i < 1200 && !Files.exists(file); i++) {
      if (running.isDone()) {
        running.get();
        throw new AssertionError("the script ended before writing " + file);
      }
      Thread.sleep(50);
    }
    assertThat(file).exists();
  }

  /**
   * Every process's command line on this machine (the host, for the in-process server), arguments
   * joined by spaces.
   */
  static List<String> allCommandLines() throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          lines.add(
              new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                  .replace('\0', ' '));
        } catch (IOException e) {
          // the process ended meanwhile
        }
      }
    }
    return lines;
  }

  /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, session... */
  static String[] statFields(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }
}
