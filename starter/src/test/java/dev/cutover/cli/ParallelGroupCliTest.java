package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cli.CliTestServer.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate and preview of a plan with a parallel group, as an operator types them. */
class ParallelGroupCliTest {
  @TempDir Path dir;

  static final String HEAD =
      """
      migration: dbs
      hosts:
        old: {transport: local}
        new: {transport: local}
      phases:
        downtime:
          steps:
      """;

  @Test
  void validateNamesEveryProblemOfAGroupAsFileLineColumn() throws IOException {
    // given a group with a limit out of range, a timeout, a duplicate branch and a reused name
    Path plan =
        write(
            "bad.yaml",
            HEAD
                + """
            - {name: stop, kind: run, host: old, command: stop}
            - name: copy
              kind: parallel
              limit: 0
              timeout: 5m
              branches:
                - {name: a, steps: [{name: stop, kind: run, host: old, command: "true"}]}
                - {name: a, steps: [{name: a2, kind: run, host: old, command: "true"}]}
        """);

    // when it is validated
    CliRun run = CliRun.run("validate", plan.toString());

    // then every problem is one FILE:LINE:COL line, and nothing was started
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    List<String> lines = run.err().lines().toList();
    assertThat(lines)
        .contains(
            plan
                + ":11:14: phases.downtime.steps[1].limit: limit 0 is out of range 1-50: the most branches of the group running at once",
            plan
                + ":12:16: phases.downtime.steps[1].timeout: field 'timeout' does not apply to a parallel group 'copy'; put it on the steps of its branches",
            plan
                + ":15:18: phases.downtime.steps[1].branches[1].name: duplicate branch name 'a' in group 'copy' (first used at branches[0])",
            plan
                + ":14:36: phases.downtime.steps[1].branches[0].steps[0].name: duplicate step name 'stop' (first used at phases.downtime.steps[0])");
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("cutover: " + plan + ": 4 problem(s); nothing was started");
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void validateCountsNestedStepsAndPreviewListsThemUnderTheirBranch() throws IOException {
    // given a group of two branches
    Path plan =
        write(
            "good.yaml",
            HEAD
                + """
            - name: copy
              kind: parallel
              limit: 1
              branches:
                - name: finance
                  steps:
                    - {name: copy-finance, kind: run, host: old, command: copy finance}
                - name: hr
                  steps:
                    - {name: copy-hr, kind: run, host: old, command: copy hr}
        """);

    // when it is validated and previewed
    CliRun validated = CliRun.run("validate", plan.toString());
    CliRun previewed = CliRun.run("preview", plan.toString());

    // then the nested steps count, and the preview shows each branch with its steps in order
    assertThat(validated.exitCode()).as(validated.toString()).isEqualTo(ExitCode.OK);
    assertThat(validated.out()).contains("3 step(s)");
    assertThat(previewed.exitCode()).as(previewed.toString()).isEqualTo(ExitCode.OK);
    assertThat(previewed.out())
        .containsSubsequence(
            " 1. copy [parallel] 2 branches, 1 at once",
            "branch finance:",
            " 2. copy-finance [run on old] $ copy finance",
            "branch hr:",
            " 3. copy-hr [run on old] $ copy hr");
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }
}
