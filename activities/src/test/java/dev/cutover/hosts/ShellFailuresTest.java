package dev.cutover.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a script that did not succeed is classified, with real processes through a stand-in sudo. */
class ShellFailuresTest {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void sudoAskingForAPasswordStopsAtOnce() throws Exception {
    // given a sudo that, like sudo -n without NOPASSWD, refuses with its own words
    ShellResult result = throughSudo("sudo: a password is required");

    // when the result is classified
    ApplicationFailure failure = ShellFailures.failure("step s on host old", result);

    // then it is a refusal no retry changes, and the message says what to allow
    assertThat(ShellFailures.sudoRefused(result)).isTrue();
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.PERMISSION_DENIED);
    assertThat(failure.getOriginalMessage())
        .isEqualTo("step s on host old: sudo asks for a password; " + ShellFailures.SUDO_ADVICE);
    assertThat(ShellFailures.SUDO_ADVICE).contains("NOPASSWD: ALL");
  }

  @Test
  void sudoAskingForATerminalIsTheSameRefusal() throws Exception {
    // given a sudo under requiretty, which asks for a terminal instead
    ShellResult result =
        throughSudo(
            "sudo: a terminal is required to read the password; either use the -S option"
                + " to read from standard input or configure an askpass helper");

    // when the result is classified, then it is the same refusal
    assertThat(ShellFailures.sudoRefused(result)).isTrue();
    assertThat(ShellFailures.failure("step s on host old", result).getType())
        .isEqualTo(CutoverErrors.PERMISSION_DENIED);
  }

  @Test
  void aScriptThatFailsOnItsOwnIsRetried() {
    // given a script that fails without sudo in the way
    ShellResult result =
        new LocalShell("old", Set.of(), "sudo")
            .exec(ShellCommand.of("echo 'disk busy' >&2; exit 3", TIMEOUT));

    // when the result is classified
    ApplicationFailure failure = ShellFailures.failure("step s on host old", result);

    // then it is an ordinary, retryable failure naming its exit code and last line
    assertThat(ShellFailures.sudoRefused(result)).isFalse();
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.COMMAND_FAILED);
    assertThat(failure.getOriginalMessage())
        .isEqualTo("step s on host old: exit code 3; last output: disk busy");
  }

  @Test
  void aCheckThatCannotRunIsToldFromACheckThatSaysNo() throws Exception {
    // given a check whose program is missing, one that may not be run, one sudo refuses, and one
    // that runs and says no
    LocalShell shell = new LocalShell("old", Set.of(), "sudo");
    Path notExecutable = dir.resolve("check.sh");
    Files.writeString(notExecutable, "#!/bin/sh\nexit 0\n");
    ShellResult missing = shell.exec(ShellCommand.of("no-such-check-program", TIMEOUT));
    ShellResult forbidden = shell.exec(ShellCommand.of(notExecutable.toString(), TIMEOUT));
    ShellResult refused = throughSudo("sudo: a password is required");
    ShellResult no =
        shell.exec(ShellCommand.of("test -e " + dir.resolve("maintenance-on"), TIMEOUT));

    // when each is judged, then only the last one's answer counts as the check's
    assertThat(missing.exitCode()).isEqualTo(ShellFailures.EXIT_NOT_FOUND);
    assertThat(forbidden.exitCode()).isEqualTo(ShellFailures.EXIT_NOT_EXECUTABLE);
    assertThat(ShellFailures.couldNotRun(missing)).isTrue();
    assertThat(ShellFailures.couldNotRun(forbidden)).isTrue();
    assertThat(ShellFailures.couldNotRun(refused)).isTrue();
    assertThat(no.exitCode()).isEqualTo(1);
    assertThat(ShellFailures.couldNotRun(no)).isFalse();
  }

  @Test
  void whatTheFileSystemRefusesStopsAndSaysSudoWhereTheStepRanWithoutIt() throws Exception {
    // given a program that may not be run (even root needs the x bit), and the words of an
    // immutable file and of a read-only mount
    Path script = dir.resolve("hook.sh");
    Files.writeString(script, "#!/bin/sh\nexit 0\n");
    LocalShell shell = new LocalShell("old", Set.of(), "sudo");
    ShellResult denied = shell.exec(ShellCommand.of(script.toString(), TIMEOUT));
    ShellResult immutable =
        shell.exec(
            ShellCommand.of(
                "echo 'rm: cannot remove x: Operation not permitted' >&2; exit 1", TIMEOUT));
    ShellResult readOnly =
        shell.exec(
            ShellCommand.of(
                "echo 'touch: cannot touch x: Read-only file system' >&2; exit 1", TIMEOUT));
    ShellResult busy =
        shell.exec(
            ShellCommand.of(
                "echo 'rm: cannot remove x: Device or resource busy' >&2; exit 1", TIMEOUT));

    // when they are judged
    ApplicationFailure withoutSudo =
        ShellFailures.permissionDenied("step s on host old: writing x", false, denied);
    ApplicationFailure withSudo =
        ShellFailures.permissionDenied("step s on host old: writing x", true, denied);

    // then the three are refusals, the busy device is not, and only a step without sudo is told to
    // set it
    assertThat(denied.outputTail()).contains("Permission denied");
    assertThat(ShellFailures.refusedByFileSystem(denied)).isTrue();
    assertThat(ShellFailures.refusedByFileSystem(immutable)).isTrue();
    assertThat(ShellFailures.refusedByFileSystem(readOnly)).isTrue();
    assertThat(ShellFailures.refusedByFileSystem(busy)).isFalse();
    assertThat(withoutSudo.isNonRetryable()).isTrue();
    assertThat(withoutSudo.getType()).isEqualTo(CutoverErrors.PERMISSION_DENIED);
    assertThat(withoutSudo.getOriginalMessage())
        .isEqualTo("step s on host old: writing x; set sudo on the step or the host");
    assertThat(withSudo.getOriginalMessage()).isEqualTo("step s on host old: writing x");
  }

  /**
   * Runs a script through a stand-in sudo that writes {@code refusal} on stderr and exits 1, as
   * sudo -n does.
   */
  private ShellResult throughSudo(String refusal) throws Exception {
    Path sudo = dir.resolve("sudo");
    Files.writeString(sudo, "#!/bin/sh\necho '" + refusal + "' >&2\nexit 1\n");
    Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwx------"));
    ShellResult result =
        new LocalShell("old", Set.of(), sudo.toString())
            .exec(ShellCommand.of("true", TIMEOUT).withSudo(true));
    assertThat(result.ok()).isFalse();
    return result;
  }
}
