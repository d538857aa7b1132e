package dev.cutover.e2e.browser;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Where the workflow is in the UI: its base address, namespace and workflow ID. */
record UiTarget(URI ui, String namespace, String workflowId) {

  /**
   * UI 2.54's workflow page: {@code /namespaces/NS/workflows/ID}. The UI redirects it to the latest
   * run's {@code /RUN_ID/timeline}, so the run ID need not be known.
   */
  URI workflowPage() {
    String base = ui.toString().replaceAll("/+$", "");
    return URI.create(
        base + "/namespaces/" + segment(namespace) + "/workflows/" + segment(workflowId));
  }

  /** The one host the browser may resolve. */
  String host() {
    return ui.getHost();
  }

  /** A workflow ID may hold anything, slashes and spaces included; in a path it is one segment. */
  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
