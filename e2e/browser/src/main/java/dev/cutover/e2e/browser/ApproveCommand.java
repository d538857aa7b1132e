package dev.cutover.e2e.browser;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code approve}: sends the approve signal for one gate through the web UI's Send a Signal dialog.
 */
@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description = {
      "Opens the workflow in the Temporal web UI, checks that it is Running, sends the",
      "approve signal {\"gate\", \"comment\", \"by\"} through More Actions > Send a Signal,",
      "and waits until the event history shows it.",
      "Saves 01-gate-open.png, 02-signal-form.png and 03-signal-sent.png in --screenshots;",
      "on failure, error.png and error.html."
    })
final class ApproveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
      names = "--signal",
      defaultValue = "approve",
      description = "The signal's name. Default: ${DEFAULT-VALUE}.")
  String signal;

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

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (ui.getHost() == null
        || !(ui.getScheme().equals("http") || ui.getScheme().equals("https"))) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--ui must be an http(s) address with a host: " + ui);
    }
    UiTarget target = new UiTarget(ui, namespace, workflowId);
    ApprovalJson json = ApprovalJson.of(gate, comment, by);
    Files.createDirectories(screenshots);
    Evidence evidence = new Evidence(screenshots);
    Steps steps = new Steps(out);

    HeadlessChromium browser = null;
    Thread onTerm = null;
    try {
      browser =
          steps.get(
              "start chromium",
              () ->
                  HeadlessChromium.start(
                      chromium,
                      driver,
                      target.host(),
                      timeout,
                      screenshots.resolve("chromedriver.log")));
      // A SIGTERM (a timeout in the e2e script) must not leave chromedriver and Chromium behind.
      onTerm = new Thread(browser::close, "close-chromium");
      Runtime.getRuntime().addShutdownHook(onTerm);
      out.println(
          "ui: chromium started headless ("
              + HeadlessChromium.WIDTH
              + "x"
              + HeadlessChromium.HEIGHT
              + ", may resolve "
              + target.host()
              + " only)");
      Duration took =
          new UiApproval(browser.driver(), timeout, steps, evidence).approve(target, signal, json);
      out.println(
          String.format(
              Locale.ROOT,
              "ui: approved gate %s of %s in %.1fs (page open to signal in history)",
              gate,
              workflowId,
              took.toMillis() / 1000.0));
      return 0;
    } catch (StepFailure f) {
      out.flush();
      err.println("ui: FAILED at step '" + f.step() + "': " + f.getMessage());
      if (browser != null) {
        evidence.failure(browser.driver(), err);
      } else {
        err.println("ui: no error.png: there is no browser to take it");
      }
      return 1;
    } finally {
      if (onTerm != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(onTerm);
        } catch (IllegalStateException shuttingDown) {
          // the hook is closing the browser already
        }
      }
      if (browser != null) {
        browser.close();
      }
      out.flush();
      err.flush();
    }
  }
}
