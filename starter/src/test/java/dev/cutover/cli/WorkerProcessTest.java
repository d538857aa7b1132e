package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@code cutover dev} passes on from the worker's log. */
class WorkerProcessTest {

  @Test
  void aWorkerLogLineQuotingAHostsEscapesReachesTheTerminalEscaped() {
    // given a worker log line that quotes a step's output with terminal escapes
    StringWriter shown = new StringWriter();
    var print = WorkerProcess.printTo(new PrintWriter(shown), "worker | ");

    // when dev prints it
    print.accept("WARN step noisy failed: \033[2J\033]0;title\007\u009b31m");

    // then the escapes are text
    assertThat(shown.toString())
        .isEqualTo(
            "worker | WARN step noisy failed: \\e[2J\\e]0;title\\x07\\u009b31m"
                + System.lineSeparator());
  }
}
