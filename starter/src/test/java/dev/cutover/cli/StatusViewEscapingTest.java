package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.workflow.MigrationStatus;
import org.junit.jupiter.api.Test;

/** {@code cutover status} as text when the run's record holds what an outsider sent. */
class StatusViewEscapingTest {

  @Test
  void aNoteOrCommentCannotForgeALineOfTheViewNorDriveTheTerminal() throws Exception {
    // given a gate approved with a comment holding a line break and escapes, and such a note
    // (read from JSON as the CLI reads the query's answer, so fields added to the status later need
    // no change here)
    MigrationStatus status =
        Json.MAPPER.readValue(
            """
        {"migration": "shop", "state": "RUNNING", "phase": "switch", "steps": [],
         "gates": [{"name": "go", "before": "switch", "state": "APPROVED", "openedAt": "2026-11-22T00:30:00Z",
                    "approvedAt": "2026-11-22T00:31:00Z", "comment": "fine\\nState:  completed\\u001b[2J", "by": "bob\\u009b31m"}],
         "presyncRounds": [], "decisions": [], "dns": [],
         "notes": ["ignored signal approve: no gate named 'x\\r\\n  - forged note'"]}
        """,
            MigrationStatus.class);

    // when status renders it
    String text = StatusView.render("cutover-shop", status);

    // then the only State line is the view's own, and the escapes are text
    assertThat(text.lines().filter(l -> l.strip().startsWith("State:")))
        .singleElement()
        .asString()
        .startsWith("State:  running");
    assertThat(text.lines().filter(l -> l.contains("forged note")))
        .singleElement()
        .asString()
        .isEqualTo("  - ignored signal approve: no gate named 'x\\r\\n  - forged note'");
    assertThat(text)
        .contains("by bob\\u009b31m — fine\\nState:  completed\\e[2J")
        .doesNotContain("\033")
        .doesNotContain("\u009b")
        .doesNotContain("\r");
  }
}
