package dev.cutover.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What travels on the exec request's command line (visible to ps) and what on stdin (not). */
class WrappedScriptTest {
  static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void theCommandLineHoldsNothingFromTheCommand() {
    // given a command with a secret in its environment, a script and a working directory
    ShellCommand command =
        new ShellCommand(
            "deploy --token \"$TOKEN\"",
            Map.of("TOKEN", "s3cr3t-value"),
            List.of("s3cr3t-value"),
            "/srv/app",
            false,
            null,
            MINUTE);

    // when it is prepared for the host
    WrappedScript remote = WrappedScript.of("old", command);

    // then the command line is the fixed reader of the preamble; the values and the script travel
    // on stdin, which ends with the preamble's last line
    assertThat(remote.commandLine())
        .isEqualTo("/bin/sh -c " + Sh.quote(WrappedScript.NO_INPUT_READER))
        .doesNotContain("s3cr3t-value")
        .doesNotContain("deploy");
    String stdin = new String(remote.stdinPrefix(), StandardCharsets.UTF_8);
    assertThat(stdin)
        .contains("export TOKEN=s3cr3t-value")
        .contains("cd -- /srv/app")
        .contains("export __cutover_script='deploy --token \"$TOKEN\"'")
        .endsWith(WrappedScript.END_OF_PREAMBLE + "\n");
  }

  @Test
  void aPreambleCutShortRunsNothingAndAWholeOneRunsTheScript(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    // given the wrapper of a command that writes a file, and its preamble cut before its last line
    java.nio.file.Path marker = dir.resolve("ran");
    WrappedScript wrapped =
        WrappedScript.of(
            "local", ShellCommand.of("echo ran > " + Sh.quote(marker.toString()), MINUTE));
    byte[] whole = wrapped.stdinPrefix();
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 5);

    // when the host's shell gets the cut preamble, then the whole one
    int cutExit = runReader(wrapped, cut);
    boolean ranAfterCut = java.nio.file.Files.exists(marker);
    int wholeExit = runReader(wrapped, whole);

    // then the cut one ran nothing and the whole one ran the script
    assertThat(cutExit).isEqualTo(125);
    assertThat(ranAfterCut).isFalse();
    assertThat(wholeExit).isZero();
    assertThat(marker).hasContent("ran");
  }

  private static int runReader(WrappedScript wrapped, byte[] stdin) throws Exception {
    Process p = new ProcessBuilder(wrapped.argv("sudo")).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin);
    }
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void aCommandWithInputHasItsPreambleCountedSoTheInputStaysUnread() {
    // given a command with input of its own
    ShellCommand command =
        new ShellCommand(
            "cat > /srv/app/key",
            Map.of("TOKEN", "s3cr3t-value"),
            List.of(),
            null,
            false,
            "input".getBytes(StandardCharsets.UTF_8),
            MINUTE);

    // when it is prepared for the host
    WrappedScript remote = WrappedScript.of("old", command);

    // then the command line reads exactly the preamble, the script follows it, then the input
    assertThat(remote.commandLine())
        .matches("/bin/sh -c 'eval \"\\$\\(dd bs=1 count=\\d+ 2>/dev/null\\)\"'");
    assertThat(new String(remote.stdinPrefix(), StandardCharsets.UTF_8))
        .contains("export TOKEN=s3cr3t-value")
        .endsWith("cat > /srv/app/key");
  }

  @Test
  void thePreambleLengthOnTheCommandLineIsItsByteLength() {
    // given values with multi-byte characters
    ShellCommand command =
        new ShellCommand(
            "echo", Map.of("NAME", "Grüße, 東京"), List.of(), null, false, new byte[0], MINUTE);

    // when it is prepared
    WrappedScript remote = WrappedScript.of("old", command);

    // then dd reads exactly the preamble's bytes, and the script's follow
    int n = Integer.parseInt(remote.commandLine().replaceAll(".*count=(\\d+).*", "$1"));
    byte[] prefix = remote.stdinPrefix();
    assertThat(new String(prefix, n, prefix.length - n, StandardCharsets.UTF_8)).isEqualTo("echo");
    assertThat(new String(prefix, 0, n, StandardCharsets.UTF_8))
        .endsWith("wait \"$!\" 2>/dev/null\n");
  }

  @Test
  void sudoWrapsTheWholeWrapperWithoutAPrompt() {
    // given a command to run as root
    ShellCommand command = ShellCommand.of("id -u", MINUTE).withSudo(true);

    // when it is prepared
    WrappedScript remote = WrappedScript.of("old", command);

    // then sudo -n runs the shell that reads the preamble, so the environment is set inside sudo
    assertThat(remote.commandLine())
        .isEqualTo("sudo -n -- /bin/sh -c " + Sh.quote(WrappedScript.NO_INPUT_READER));
  }

  @Test
  void anEnvironmentNameTheShellCannotExportIsInvalidConfig() {
    // given a variable name with a character a shell name cannot have
    ShellCommand command =
        new ShellCommand("true", Map.of("BAD-NAME", "x"), List.of(), null, false, null, MINUTE);

    // when it is prepared
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> WrappedScript.of("old", command));

    // then the plan must change, and the message names host and variable
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage()).contains("host old").contains("BAD-NAME");
  }

  @Test
  void theKillCommandTargetsOnlyTheReportedGroup() {
    // given the group a launcher reported
    String kill = WrappedScript.killCommand(4242, false);

    // then the kill addresses that group (negative pid) and nothing else, through sudo when asked
    assertThat(kill).contains("kill -s TERM -- -4242").contains("kill -s KILL -- -4242");
    assertThat(WrappedScript.killCommand(4242, true)).startsWith("sudo -n -- /bin/sh -c ");
    // never "my own group" (0) or "every process" (1, -1)
    assertThatThrownBy(() -> WrappedScript.killCommand(0, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WrappedScript.killCommand(1, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WrappedScript.killCommand(-1, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyAWellFormedMarkerYieldsAGroup() {
    assertThat(WrappedScript.parsePgid(WrappedScript.PGID_MARKER + "1234")).isEqualTo(1234);
    assertThat(WrappedScript.parsePgid(WrappedScript.PGID_MARKER + "1")).isEqualTo(-1);
    assertThat(WrappedScript.parsePgid(WrappedScript.PGID_MARKER + "-5")).isEqualTo(-1);
    assertThat(WrappedScript.parsePgid(WrappedScript.PGID_MARKER + "12 34")).isEqualTo(-1);
    assertThat(WrappedScript.parsePgid("cutover-pgid 1234")).isEqualTo(-1);
  }

  @Test
  void aCommandOfAnAttemptGetsTheLeasePartBeforeItsDirectoryAndVariables() {
    // given a command of attempt 2 of an activity that sets its own HOME and PATH
    ActivityAttempt attempt = ActivityAttempt.of("wf", "run", "7", 2);
    ShellCommand command =
        new ShellCommand(
                "true",
                Map.of("HOME", "/srv/app", "PATH", "/opt/app/bin"),
                List.of(),
                "/srv/app",
                false,
                null,
                MINUTE)
            .withAttempt(attempt);

    // when it is prepared
    String preamble = preamble(WrappedScript.of("old", command));

    // then the lease part names the activity by its key and attempt, finds its directory before
    // the command's variables exist, records the group after the launch and removes it after the
    // wait
    assertThat(preamble).contains("__cl_key=" + attempt.key() + "\n").contains("__cl_try=2\n");
    assertThat(preamble.indexOf("__cl_key=")).isLessThan(preamble.indexOf("cd -- /srv/app"));
    assertThat(preamble.indexOf("__cl_root=$HOME/.cutover/run"))
        .isLessThan(preamble.indexOf("export HOME="));
    assertThat(preamble.indexOf("__cl_pid=$!"))
        .isGreaterThan(preamble.indexOf(" &\n"))
        .isLessThan(preamble.indexOf("wait \"$!\""));
    assertThat(preamble).endsWith("exit \"$__cl_rc\"\n");
    assertThat(WrappedScript.launchWait(command))
        .isGreaterThan(WrappedScript.launchWait(command.withAttempt(null)));
  }

  @Test
  void aCommandOutsideAnActivityGetsNoLeasePart() {
    // given a command for no attempt
    ShellCommand command = ShellCommand.of("true", MINUTE);

    // when it is prepared
    String preamble = preamble(WrappedScript.of("old", command));

    // then the wrapper is the plain launcher it always was
    assertThat(preamble).doesNotContain("__cl_").endsWith("wait \"$!\" 2>/dev/null\n");
  }

  /** The preamble: the bytes dd reads before the script, or all but the last line cat reads. */
  private static String preamble(WrappedScript wrapped) {
    if (!wrapped.commandLine().contains("count=")) {
      String all = new String(wrapped.stdinPrefix(), StandardCharsets.UTF_8);
      assertThat(all).endsWith("\n" + WrappedScript.END_OF_PREAMBLE + "\n");
      return all.substring(0, all.length() - WrappedScript.END_OF_PREAMBLE.length() - 1);
    }
    int n = Integer.parseInt(wrapped.commandLine().replaceAll(".*count=(\\d+).*", "$1"));
    return new String(wrapped.stdinPrefix(), 0, n, StandardCharsets.UTF_8);
  }
}
