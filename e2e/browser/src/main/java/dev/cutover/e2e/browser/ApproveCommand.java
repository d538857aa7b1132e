package dev.cutover.e2e.browser;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin UiOptions options;

  @Option(
      names = "--signal",
      defaultValue = "approve",
      description = "The signal's name. Default: ${DEFAULT-VALUE}.")
  String signal;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    UiTarget target = options.target(spec.commandLine());
    ApprovalJson json = options.json();
    return BrowserSession.run(
        options,
        target,
        out,
        spec.commandLine().getErr(),
        (browser, steps, evidence) -> {
          Duration took =
              new UiApproval(browser.driver(), options.timeout, steps, evidence)
                  .approve(target, signal, json);
          out.println(
              String.format(
                  Locale.ROOT,
                  "ui: approved gate %s of %s in %.1fs (page open to signal in history)",
                  options.gate,
                  options.workflowId,
                  took.toMillis() / 1000.0));
          return 0;
        });
  }
}
