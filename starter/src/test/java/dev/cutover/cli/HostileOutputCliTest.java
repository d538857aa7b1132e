package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.cli.CliTestServer.CliRun;
import dev.cutover.cli.report.MarkdownSafety;
import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.MigrationState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile plan, host or signal sender can put in front of the operator: a real run whose
 * plan, step output, comments and ignored signals carry terminal escapes, Markdown links and images
 * and HTML, shown through every view. Nothing of it may reach the screen as a control character,
 * nor the Markdown as a live link or image, nor the HTML as markup.
 */
@ExtendWith(CliTestServer.class)
class HostileOutputCliTest {
  /** ESC, BEL, every other C0 but LF, DEL and the C1 block (U+009B is a one-byte CSI). */
  static final Pattern CONTROL =
      Pattern.compile("[\\x00-\\x09\\x0b-\\x1f\\x7f\\x80-\\x9f\\u202a-\\u202e\\u2066-\\u2069]");

  /** Clears the screen, retitles the window, rings, a C1 CSI, a Markdown link and image, HTML. */
  static final String PLAN =
      """
      migration: ${migration}
      description: "shop \\e[2J\\e]0;pwned\\a move [click](javascript:alert(1)) ![px](http://evil.example/t.png)"
      hosts: {old: {transport: local}}
      gates: [{name: go, before: downtime, description: "\\e[31mred\\e[0m <b>bold</b>"}]
      phases:
        prepare:
          steps:
            - name: noisy
              kind: run
              host: old
              description: "desc \\x9b2J <script>alert(1)</script>"
              command: "printf '\\\\033[2J\\\\033]0;title\\\\007\\\\302\\\\23331m\\\\tcol [x](javascript:alert(1)) ![i](http://evil.example/i.png) <img src=x>\\\\n'; exit 3"
              retry: {maxAttempts: 1}
        downtime: {steps: [{name: flip, kind: run, host: old, command: echo flipped}]}
      """;

  static final String HOSTILE_COMMENT =
      "ok \033[2J\033]0;t\007 \u009b1m [x](javascript:alert(1)) ![y](https://evil.example/y.png) <i>x</i> www.evil.example";

  @TempDir Path dir;

  private final CliTestServer server;

  HostileOutputCliTest(CliTestServer server) {
    this.server = server;
  }

  @Test
  void escapesAndMarkupFromThePlanOutputAndSignalsAreShownInertInEveryView() throws Exception {
    // given a run whose step printed escapes and failed, then was skipped with a hostile comment,
    // an approve for a gate whose name is an escape sequence (ignored and noted), and an approval
    // with a hostile comment
    String migration = CliTestServer.uniqueName("hostile");
    String id = CutoverNames.workflowId(migration);
    Path plan = CliTestServer.writePlan(dir, migration, PLAN);
    CliRun preview = CliRun.run("preview", plan.toString());
    assertThat(server.connected("start", plan.toString()).exitCode()).isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> s.state() == MigrationState.BLOCKED);
    CliRun blocked = server.connected("status", id);
    assertThat(
            server
                .connected("decide", id, "noisy", "skip", "--comment", HOSTILE_COMMENT)
                .exitCode())
        .isEqualTo(ExitCode.OK);
    server.awaitStatus(id, s -> "gate:go".equals(s.waitingFor()));
    server
        .untyped(id)
        .signal(
            CutoverNames.SIGNAL_APPROVE,
            new ApproveRequest("\033[2J\033]0;gate\007", HOSTILE_COMMENT, null));
    server.awaitStatus(id, s -> !s.notes().isEmpty());
    CliRun atGate = server.connected("status", id);
    assertThat(server.connected("approve", id, "go", "--comment", HOSTILE_COMMENT).exitCode())
        .isEqualTo(ExitCode.OK);
    server.awaitResult(id);

    // when every view is asked for
    CliRun status = server.connected("status", id);
    CliRun json = server.connected("status", id, "--json");
    CliRun text = server.connected("report", id);
    CliRun markdown = server.connected("report", id, "--format", "md");
    CliRun html = server.connected("report", id, "--format", "html");
    CliRun jsonReport = server.connected("report", id, "--format", "json");

    // then no view holds a control character, and each shows the escapes as text
    for (CliRun run :
        new CliRun[] {preview, blocked, atGate, status, json, text, markdown, html, jsonReport}) {
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
      assertThat(CONTROL.matcher(run.out()).find())
          .as("control character in:\n%s", run.out())
          .isFalse();
      assertThat(CONTROL.matcher(run.err()).find())
          .as("control character in:\n%s", run.err())
          .isFalse();
    }
    assertThat(preview.out())
        .contains("shop \\e[2J\\e]0;pwned\\x07 move")
        .contains("\\e[31mred\\e[0m");
    assertThat(blocked.out())
        .contains("| \\e[2J\\e]0;title\\x07\\u009b31m    col [x](javascript:alert(1))");
    assertThat(atGate.out()).contains("\\e[2J\\e]0;gate\\x07");
    assertThat(status.out()).contains("ok \\e[2J\\e]0;t\\x07 \\u009b1m [x]");
    assertThat(text.out())
        .contains("shop \\e[2J\\e]0;pwned\\x07 move")
        .contains("ok \\e[2J\\e]0;t\\x07 \\u009b1m")
        .contains("\\e[2J\\e]0;title\\x07\\u009b31m");
    // and the JSON still carries the exact text for scripts, only written with escapes
    String comment =
        new ObjectMapper().readTree(json.out()).get("gates").get(0).get("comment").asText();
    assertThat(comment).isEqualTo(HOSTILE_COMMENT);
    // and the Markdown has no live link, image, autolink or HTML, also for what the host printed
    assertThat(MarkdownSafety.liveMarkup(markdown.out())).as(markdown.out()).isEmpty();
    assertThat(markdown.out())
        .contains("\\[click\\](javascript:alert(1))")
        .contains("!\\[px\\](http\\://evil.example/t.png)");
    // and the HTML has the markup as text only
    assertThat(html.out())
        .doesNotContain("<script")
        .doesNotContain("<img")
        .doesNotContain("<b>bold")
        .doesNotContain("<i>x")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("\\e[2J");
    Files.writeString(dir.resolve("report.md"), markdown.out());
  }
}
