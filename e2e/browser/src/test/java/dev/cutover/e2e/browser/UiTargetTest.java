package dev.cutover.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UiTargetTest {
  @Test
  void workflowPageIsUnderTheNamespaceWithTheIdAsOneSegment() {
    UiTarget target =
        new UiTarget(URI.create("http://127.0.0.1:8233/"), "default", "cutover-e2e skeleton/1");

    assertThat(target.workflowPage())
        .hasToString(
            "http://127.0.0.1:8233/namespaces/default/workflows/cutover-e2e%20skeleton%2F1");
    assertThat(target.host()).isEqualTo("127.0.0.1");
  }
}
