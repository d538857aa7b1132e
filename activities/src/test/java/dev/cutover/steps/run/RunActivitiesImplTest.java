package dev.cutover.steps.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.plan.Host;
import dev.cutover.plan.Transport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.ProcessCheck;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.ActivityCanceledException;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code run} step with the local transport runs real processes: these tests start real {@code
 * /bin/sh} commands and check what the workflow and the operator would see (result, failure type,
 * retryability, output tail) and that no process outlives a timeout or a cancellation.
 */
class RunActivitiesImplTest {
  static final Host LOCAL = Host.local(null);

  /** Heartbeats land in the void: most tests only care about the command's end. */
  static final Heartbeat<RunProgress> IGNORE = progress -> {};

  @TempDir Path dir;

  private final RunActivitiesImpl activities = new RunActivitiesImpl(new SecretResolver(Map.of()));

  @Test
  void successfulCommandReturnsExitCodeZeroAndItsOutputTail() {
    // given a command that prints on stdout and stderr and succeeds
    RunRequest request = request("echo first; echo second >&2; echo third");

    // when it runs
    RunResult result = activities.run(request, IGNORE);

    // then the result has exit code 0 and both streams in the tail, each in its own order
    // (stdout and stderr are separate pipes, locally as over SSH: how they interleave is not kept)
    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail().lines()).containsExactlyInAnyOrder("first", "second", "third");
    assertThat(result.outputTail().indexOf("first"))
        .isLessThan(result.outputTail().indexOf("third"));
    assertThat(result.truncated()).isFalse();
  }

  @Test
  void nonZeroExitIsARetryableCommandFailedWithTheResultAsDetails() {
    // given a command that prints and fails, like a service that is busy for a moment
    RunRequest request = request("echo 'database is locked'; exit 3");

    // when it runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.run(request, IGNORE));

    // then Temporal may retry it (a lock goes away), and the workflow gets exit code and tail for
    // status
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.COMMAND_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("step s1 on host old")
        .contains("exit code 3")
        .contains("database is locked");
    RunResult details = failure.getDetails().get(RunResult.class);
    assertThat(details.exitCode()).isEqualTo(3);
    assertThat(details.outputTail()).isEqualTo("database is locked");
  }

  @Test
  void exit127IsANonRetryableCommandNotFound() {
    // given a command that does not exist on the host: retrying cannot make it appear
    RunRequest request = request("cutover-no-such-command-4f1c");

    // when it runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.run(request, IGNORE));

    // then the failure is non-retryable and names the missing command, as sh reported it
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.COMMAND_NOT_FOUND);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("exit 127")
        .contains("cutover-no-such-command-4f1c");
    assertThat(failure.getDetails().get(RunResult.class).exitCode()).isEqualTo(127);
  }

  @Test
  void timeoutKillsTheCommandAndItsChildren() throws Exception {
    // given a shell that starts a long child and waits for it, with a 1s timeout
    Path shellPid = dir.resolve("shell.pid");
    Path childPid = dir.resolve("child.pid");
    RunRequest request =
        request(
            "echo $$ > '"
                + shellPid
                + "'; sleep 300 & echo $! > '"
                + childPid
                + "'; echo waiting; wait",
            null,
            Map.of(),
            Duration.ofSeconds(1));

    // when it runs past its timeout
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.run(request, IGNORE));

    // then the step fails as timed out, with what the command printed so far
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.COMMAND_TIMED_OUT);
    assertThat(failure.getOriginalMessage()).contains("timed out after 1s").contains("waiting");
    assertThat(failure.getDetails().get(RunResult.class).outputTail()).isEqualTo("waiting");
    // and neither the shell nor its child is left running on the host
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(shellPid)))
        .as("shell process is gone")
        .isTrue();
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(childPid)))
        .as("child 'sleep 300' is gone")
        .isTrue();
  }

  @Test
  void cancellationThroughTheHeartbeatKillsTheProcessTree() throws Exception {
    // given a long command with a child, and a heartbeat that reports cancellation the way the SDK
    // does (it throws) once the command has started its child
    Path shellPid = dir.resolve("shell.pid");
    Path childPid = dir.resolve("child.pid");
    RunRequest request =
        request("echo $$ > '" + shellPid + "'; sleep 300 & echo $! > '" + childPid + "'; wait");
    ActivityCanceledException canceled = new ActivityCanceledException();
    AtomicInteger beats = new AtomicInteger();
    Heartbeat<RunProgress> cancelling =
        progress -> {
          beats.incrementAndGet();
          if (Files.exists(childPid)) {
            throw canceled;
          }
        };

    // when the activity is canceled while the command runs
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(() -> activities.run(request, cancelling));

    // then the cancellation reaches the SDK unchanged, so Temporal records the activity as canceled
    assertThat(thrown).isSameAs(canceled);
    assertThat(beats.get()).isPositive();
    // and the shell and its child were killed, not left to run for five minutes
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(shellPid)))
        .as("shell process is gone")
        .isTrue();
    assertThat(ProcessCheck.isGoneSoon(ProcessCheck.readPid(childPid)))
        .as("child 'sleep 300' is gone")
        .isTrue();
  }

  @Test
  void secretFromTheEnvironmentReachesTheCommandAndIsMaskedInTheTail() {
    // given a worker whose environment holds the secret, and a step that gets it by reference
    String secret = "pa55-Wörd-93c1";
    RunActivitiesImpl withSecret =
        new RunActivitiesImpl(new SecretResolver(Map.of("CUTOVER_TEST_PW", secret)));
    RunRequest request =
        new RunRequest(
            "s1",
            "old",
            LOCAL,
            "echo \"password is $PGPASSWORD\"; [ \"$PGPASSWORD\" = '"
                + secret
                + "' ] && echo value-matches",
            null,
            Map.of("PLAIN", "visible"),
            Map.of("PGPASSWORD", "env:CUTOVER_TEST_PW"),
            Duration.ofSeconds(30),
            false);

    // when the command prints it
    RunResult result = withSecret.run(request, IGNORE);

    // then the command had the real value, and the tail (which goes to history) shows *** instead
    assertThat(result.outputTail()).isEqualTo("password is ***\nvalue-matches");
    assertThat(result.outputTail()).doesNotContain(secret);
  }

  @Test
  void multiLineSecretIsMaskedInTheTail() {
    // given a multi-line secret, as a key file read through file: would be
    String secret = "-----BEGIN KEY-----\nQk9HVVMtS0VZLURBVEE=\n-----END KEY-----";
    RunActivitiesImpl withSecret =
        new RunActivitiesImpl(new SecretResolver(Map.of("CUTOVER_TEST_KEY", secret)));
    RunRequest request =
        new RunRequest(
            "s1",
            "old",
            LOCAL,
            "echo \"$KEY\"",
            null,
            Map.of(),
            Map.of("KEY", "env:CUTOVER_TEST_KEY"),
            Duration.ofSeconds(30),
            false);

    // when the command prints it
    RunResult result = withSecret.run(request, IGNORE);

    // then no part of the key body reaches the tail, which goes to history
    assertThat(result.outputTail()).doesNotContain("Qk9HVVMtS0VZLURBVEE=");
  }

  @Test
  void literalEnvironmentVariablesReachTheCommand() {
    // given a step with a literal env value
    RunRequest request =
        request("echo \"lang=$LC_ALL\"", null, Map.of("LC_ALL", "C"), Duration.ofSeconds(30));

    // when it runs
    RunResult result = activities.run(request, IGNORE);

    // then the command saw it
    assertThat(result.outputTail()).isEqualTo("lang=C");
  }

  @Test
  void outputLongerThanTheBudgetKeepsTheLastLinesAndSaysItWasTruncated() {
    // given a command that prints far more than the tail keeps (5000 numbered lines, ~24 KB)
    RunRequest request = request("seq 1 5000");

    // when it runs
    RunResult result = activities.run(request, IGNORE);

    // then only the end survives, within the budget, and the result says so
    assertThat(result.truncated()).isTrue();
    assertThat(result.outputTail().length())
        .isLessThanOrEqualTo(dev.cutover.hosts.HostShell.TAIL_CHARS);
    assertThat(result.outputTail()).endsWith("\n4999\n5000").doesNotStartWith("1\n");
    List<String> lines = List.of(result.outputTail().split("\n"));
    // the kept lines are whole and consecutive: the last ones the command printed
    int first = Integer.parseInt(lines.get(0));
    assertThat(first).isGreaterThan(1);
    assertThat(lines).hasSize(5000 - first + 1);
  }

  @Test
  void missingWorkingDirectoryIsANonRetryableInvalidConfig() {
    // given a step whose cwd does not exist on the host: the plan is wrong, retrying cannot help
    Path missing = dir.resolve("no-such-dir");
    RunRequest request = request("true", missing.toString(), Map.of(), Duration.ofSeconds(30));

    // when it runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.run(request, IGNORE));

    // then the failure names the directory, the step and the host
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(missing.toString())
        .contains("step s1")
        .contains("host old");
  }

  @Test
  void existingWorkingDirectoryIsWhereTheCommandRuns() throws IOException {
    // given a step with a cwd
    Path work = Files.createDirectory(dir.resolve("work"));
    RunRequest request = request("pwd", work.toString(), Map.of(), Duration.ofSeconds(30));

    // when it runs
    RunResult result = activities.run(request, IGNORE);

    // then it ran there
    assertThat(Path.of(result.outputTail()).toRealPath()).isEqualTo(work.toRealPath());
  }

  @Test
  void sshTransportIsANonRetryableTransportUnavailable() {
    // given a host reached over SSH, which this worker cannot do yet
    Host ssh =
        new Host(
            Transport.SSH,
            "old.example.net",
            "deploy",
            22,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    RunRequest request =
        new RunRequest(
            "s1", "old", ssh, "true", null, Map.of(), Map.of(), Duration.ofSeconds(30), false);

    // when the activity is asked to run it
    // then it refuses at once, without retries, naming the host and the transport
    assertThatThrownBy(() -> activities.run(request, IGNORE))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(CutoverErrors.TRANSPORT_UNAVAILABLE);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).contains("host old").contains("ssh");
            });
  }

  @Test
  void heartbeatsThroughTemporalCarryRunProgress() {
    // given the activity in Temporal's test activity environment, recording every heartbeat
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(activities);
      List<RunProgress> heartbeats = new CopyOnWriteArrayList<>();
      env.setActivityHeartbeatListener(RunProgress.class, heartbeats::add);
      RunActivities stub =
          env.newActivityStub(
              RunActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());

      // when a command runs longer than one heartbeat interval
      RunResult result = stub.run(request("echo started; sleep 3; echo finished"));

      // then it completed, and the UI would have shown RunProgress details with its last line
      assertThat(result.outputTail()).isEqualTo("started\nfinished");
      assertThat(heartbeats).isNotEmpty();
      assertThat(heartbeats).allSatisfy(p -> assertThat(p).isInstanceOf(RunProgress.class));
      assertThat(heartbeats.get(0).lastLine()).isEqualTo("started");
      assertThat(heartbeats.get(0).elapsedMillis()).isPositive();
    } finally {
      env.close();
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  private static RunRequest request(String command) {
    return request(command, null, Map.of(), Duration.ofSeconds(30));
  }

  private static RunRequest request(
      String command, String cwd, Map<String, String> env, Duration timeout) {
    return new RunRequest("s1", "old", LOCAL, command, cwd, env, Map.of(), timeout, false);
  }

  @Test
  void commandSeesOnlyTheBaseEnvironmentAndWhatTheOperatorLetThrough() {
    // given a worker environment that holds more than commands should see (the JVM's own variables
    // stand in for a worker's credentials), and one variable the operator passes through
    String inherited =
        System.getenv().keySet().stream()
            .filter(n -> !dev.cutover.hosts.LocalShell.BASE_ENV.contains(n))
            .findFirst()
            .orElseThrow();
    RunActivitiesImpl passing =
        new RunActivitiesImpl(new SecretResolver(Map.of()), java.util.Set.of("PATH"));

    // when a command prints its environment
    RunResult result = passing.run(request("env | cut -d= -f1 | sort"), IGNORE);

    // then PATH is there and the worker's other variables are not
    assertThat(result.outputTail().lines()).contains("PATH").doesNotContain(inherited);
  }

  @Test
  void outputWithoutNewlinesIsCutToTheTailBudget() {
    // given a command that streams megabytes without a newline, like a binary dump to stdout
    RunRequest request = request("head -c 3000000 /dev/zero | tr '\\0' x");

    // when it runs
    RunResult result = activities.run(request, IGNORE);

    // then the worker kept only the end of that one line
    assertThat(result.outputTail().length())
        .isLessThanOrEqualTo(dev.cutover.hosts.HostShell.TAIL_CHARS);
    assertThat(result.outputTail()).matches("x+");
  }
}
