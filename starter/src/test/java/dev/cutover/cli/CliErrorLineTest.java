package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Whatever a command throws, the operator reads one line naming the command, never a stack trace.
 */
class CliErrorLineTest {

  @Test
  void anUnexpectedExceptionIsOneLineNamingTheCommandAndItsInnermostMessage() {
    // given a command that fails with a wrapped exception whose message holds a stack trace and an
    // escape
    Throwable failure =
        new IllegalStateException(
            "wrapped",
            new RuntimeException(
                "Blob data size exceeds limit \033[2J\n\tat io.temporal.X.y(X.java:1)\n\tat io.temporal.Z.w(Z.java:2)"));

    // when it runs
    String err = run(failure);

    // then stderr is one line: the command, the first line of the innermost message, escaped
    assertThat(err.lines().toList())
        .singleElement()
        .asString()
        .isEqualTo(
            "cutover boom: failed: Blob data size exceeds limit \\e[2J (CUTOVER_DEBUG=1 shows the stack trace)");
  }

  @Test
  void anErrorPicocliDoesNotCatchIsOneLineToo() {
    String err = run(new OutOfMemoryError("Java heap space"));

    assertThat(err.lines().toList())
        .singleElement()
        .asString()
        .isEqualTo("cutover boom: failed: Java heap space (CUTOVER_DEBUG=1 shows the stack trace)");
  }

  private static String run(Throwable failure) {
    CommandLine cli = CutoverCli.newCommandLine();
    cli.addSubcommand("boom", new Boom(failure));
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int code = cli.execute("boom");
    assertThat(code).isEqualTo(ExitCode.FAILED);
    return err.toString();
  }

  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    private final Throwable failure;

    Boom(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      if (failure instanceof Error e) {
        throw e;
      }
      throw (Exception) failure;
    }
  }
}
