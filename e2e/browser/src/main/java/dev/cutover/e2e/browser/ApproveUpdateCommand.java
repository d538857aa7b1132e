package dev.cutover.e2e.browser;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code approve-update}: sends the approveGate update for one gate through the web UI's Send an
 * Update dialog, and says what the workflow answered: an update, unlike a signal, is judged before
 * it is taken, so a refusal is shown at once and leaves nothing in the history.
 */
@Command(
    name = "approve-update",
    mixinStandardHelpOptions = true,
    description = {
      "Opens the workflow in the Temporal web UI, checks that it is Running, sends the",
      "approveGate update {\"gate\", \"comment\", \"by\"} through More Actions > Send an Update",
      "and reads the outcome the UI shows: refused (the workflow's reason, in the dialog) or",
      "accepted (then the history's Update Accepted and Update Completed events, with the",
      "workflow's answer).",
      "Saves PREFIX-1-gate-open.png, PREFIX-2-update-form.png, PREFIX-3-refused.png or",
      "PREFIX-3-accepted.png and, accepted, PREFIX-4-history.png in --screenshots;",
      "on failure, error.png and error.html.",
      "Exit codes: 0 the outcome --expect names, 1 a UI step failed, 2 invalid arguments,",
      "3 the other outcome (or a refusal without --expect-reason's text)."
    })
final class ApproveUpdateCommand implements Callable<Integer> {
  /** The workflow's answer was not the one expected: like the cutover CLI's "rejected" code. */
  static final int UNEXPECTED_OUTCOME = 3;

  enum Outcome {
    accepted,
    refused
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin UiOptions options;

  @Option(
      names = "--update",
      defaultValue = "approveGate",
      description = "The update's name. Default: ${DEFAULT-VALUE}.")
  String update;

  @Option(
      names = "--expect",
      defaultValue = "accepted",
      description = "accepted or refused. Default: ${DEFAULT-VALUE}.")
  Outcome expect;

  @Option(
      names = "--expect-reason",
      description = "Text the refusal must contain (with --expect refused).")
  String expectReason;

  @Option(
      names = "--shots-prefix",
      defaultValue = "update",
      description = "What the screenshots' names start with. Default: ${DEFAULT-VALUE}.")
  String prefix;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    UiTarget target = options.target(spec.commandLine());
    if (expectReason != null && expect != Outcome.refused) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--expect-reason goes with --expect refused");
    }
    if (!prefix.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--shots-prefix must be 1 to 64 letters, digits, '.', '_' or '-': " + prefix);
    }
    ApprovalJson json = options.json();
    return BrowserSession.run(
        options,
        target,
        out,
        spec.commandLine().getErr(),
        (browser, steps, evidence) -> {
          long start = System.nanoTime();
          UpdateAnswer answer =
              new UiApproval(browser.driver(), options.timeout, steps, evidence)
                  .approveByUpdate(target, update, json, prefix);
          double took = (System.nanoTime() - start) / 1e9;
          String said =
              String.format(
                  Locale.ROOT,
                  "ui: update %s for gate %s of %s %s in %.1fs (page open to %s)%s",
                  update,
                  options.gate,
                  options.workflowId,
                  answer.outcome(),
                  took,
                  answer.accepted() ? "result in history" : "refusal shown",
                  answer.accepted() ? "" : ": " + answer.message());
          out.println(said);
          if (!answer.outcome().equals(expect.name())) {
            spec.commandLine()
                .getErr()
                .println("ui: expected the update " + expect + ", it was " + answer.outcome());
            return UNEXPECTED_OUTCOME;
          }
          if (expectReason != null && !answer.message().contains(expectReason)) {
            spec.commandLine()
                .getErr()
                .println("ui: the refusal does not say '" + expectReason + "'");
            return UNEXPECTED_OUTCOME;
          }
          return 0;
        });
  }
}
