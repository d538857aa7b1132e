package dev.cutover.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local transport: real processes on the worker's machine. */
class LocalShellTest {
  @TempDir Path dir;

  @Test
  void underSudoTheEnvironmentTravelsOnStdinNotOnTheCommandLine() throws Exception {
    // given a stand-in for sudo that, like sudo's env_reset, starts the command with an empty
    // environment, and records its arguments (this sandbox has no sudo)
    Path args = dir.resolve("sudo-args");
    Path sudo = dir.resolve("sudo");
    Files.writeString(
        sudo,
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > '"
            + args
            + "'\nshift 2\nexec env -i PATH=/usr/bin:/bin \"$@\"\n");
    Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwx------"));
    LocalShell shell = new LocalShell("old", Set.of(), sudo.toString());
    String secret = "it's $ecret\nsecond line";
    ShellCommand command =
        new ShellCommand(
            "printf '%s|' \"$DB_PW\"; cat",
            Map.of("DB_PW", secret),
            List.of(secret),
            null,
            true,
            "stdin after the variables".getBytes(),
            Duration.ofSeconds(30));

    // when the script runs through sudo
    ShellResult result = shell.exec(command);

    // then it saw the value and then its own input, and sudo's command line never held the value
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo(secret + "|stdin after the variables\n");
    assertThat(Files.readString(args))
        .startsWith("-n\n--\n/bin/sh\n-c\n")
        .doesNotContain("ecret")
        .doesNotContain("second line");
  }
}
