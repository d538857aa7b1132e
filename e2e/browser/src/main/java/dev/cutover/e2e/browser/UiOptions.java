package dev.cutover.e2e.browser;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every command takes: where the workflow is, the approval, the browser. */
final class UiOptions {
  @Option(
      names = "--ui",
      required = true,
      description = "The web UI's address, e.g. http://127.0.0.1:8233.")
  URI ui;

  @Option(
      names = "--namespace",
      defaultValue = "default",
      description = "Default: ${DEFAULT-VALUE}.")
  String namespace;

  @Option(names = "--workflow-id", required = true)
  String workflowId;

  @Option(names = "--gate", required = true, description = "The gate to approve, e.g. go-downtime.")
  String gate;

  @Option(
      names = "--comment",
      required = true,
      description = "Why; kept in the workflow's history.")
  String comment;

  @Option(names = "--by", required = true, description = "Who approves.")
  String by;

  @Option(
      names = "--screenshots",
      required = true,
      description = "Directory for the screenshots (created).")
  Path screenshots;

  @Option(
      names = "--chromium",
      defaultValue = "/usr/bin/chromium",
      description = "Default: ${DEFAULT-VALUE}.")
  Path chromium;

  @Option(
      names = "--driver",
      defaultValue = "/usr/bin/chromedriver",
      description = "Default: ${DEFAULT-VALUE}.")
  Path driver;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      description =
          "How long each step may wait for the page: 500ms, 60s, 2m. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  /** The workflow's place in the UI; an address that is no http(s) one is a usage error. */
  UiTarget target(CommandLine commandLine) {
    if (ui.getHost() == null
        || !(ui.getScheme().equals("http") || ui.getScheme().equals("https"))) {
      throw new CommandLine.ParameterException(
          commandLine, "--ui must be an http(s) address with a host: " + ui);
    }
    return new UiTarget(ui, namespace, workflowId);
  }

  ApprovalJson json() {
    return ApprovalJson.of(gate, comment, by);
  }
}
