package dev.cutover.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What the wrapper says before the script starts, as the worker turns it into output and failures.
 */
class WrapperReportTest {
  static final String SECRET = "pw-4c1f-secret";
  static final char RS = '\u001e';

  final ShellCommand command =
      new ShellCommand(
              "true",
              Map.of("PW", SECRET),
              List.of(SECRET),
              null,
              false,
              null,
              Duration.ofMinutes(1))
          .withAttempt(ActivityAttempt.of("wf", "run", "5", 2));
  final OutputTail tail = new OutputTail(HostShell.TAIL_CHARS, command.mask());
  final List<String> watched = new CopyOnWriteArrayList<>();
  final WrapperReport report =
      new WrapperReport(
          "old",
          command,
          tail,
          new ExecWatch() {
            @Override
            public void line(String line) {
              watched.add(line);
            }
          });

  @Test
  void whatWasStoppedBecomesAnOutputLineWithSecretsMaskedAndCommandsShortened() {
    // given the wrapper stopped a group whose command line held a secret and was long
    String commands = "mysql -p" + SECRET + " shop " + "x".repeat(400);

    // when it says so, then reports the script's group
    boolean stopped = report.take(RS + "cutover-stopped 1 4242 " + commands + " ");
    boolean group = report.take(RS + "cutover-pgid 5151");

    // then the step's output and watch say what was stopped, without the secret, and the group is
    // known
    assertThat(stopped).isTrue();
    assertThat(group).isTrue();
    assertThat(tail.text())
        .startsWith(
            "stopped what attempt 1 left running on host old: process group 4242 (mysql -p*** shop xxx")
        .endsWith("...)")
        .doesNotContain(SECRET)
        .hasSizeLessThan(300);
    assertThat(watched).containsExactly(tail.text());
    assertThat(report.pgid()).isEqualTo(5151);
    assertThat(report.failure("deploy")).isNull();
  }

  @Test
  void aLeaseThatCannotBeWrittenIsAWarningNotAFailure() {
    // when the wrapper could not write its lease directory
    report.take(RS + "cutover-lease-warn cannot write /home/deploy/.cutover/run");
    report.take(RS + "cutover-pgid 5151");

    // then the output warns, and the script ran
    assertThat(tail.text())
        .isEqualTo(
            "warning: host old: this script runs without a lease (cannot write /home/deploy/.cutover/run): "
                + "if the worker dies while it runs, a retry cannot stop it");
    assertThat(report.failure("deploy")).isNull();
  }

  @Test
  void aGroupThatSurvivedKillIsARetryableFailureAndTheScriptDidNotStart()
      throws InterruptedException {
    // when the wrapper could not stop what attempt 1 left
    report.take(RS + "cutover-stop-failed 1 4242 rsync -a /srv/ new:/srv/");

    // then the attempt fails, to be retried, naming the group, and no group of this attempt is
    // awaited
    ApplicationFailure failure = report.failure("deploy");
    assertThat(failure.getType()).isEqualTo(CutoverErrors.EARLIER_ATTEMPT_RUNNING);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "host old: what attempt 1 left running there did not stop on TERM and KILL: "
                + "process group 4242 (rsync -a /srv/ new:/srv/); attempt 2 does not start its script beside it");
    assertThat(report.awaitPgid()).isEqualTo(-1);
  }

  @Test
  void onceTheGroupIsKnownMarkerLinesAreTheScriptsOwnOutput() {
    // given a script that has started
    report.take(RS + "cutover-pgid 5151");

    // when it prints what looks like a wrapper line
    boolean taken = report.take(RS + "cutover-stop-failed 1 1 fake");

    // then that is not the wrapper speaking
    assertThat(taken).isFalse();
    assertThat(report.failure("deploy")).isNull();
  }
}
