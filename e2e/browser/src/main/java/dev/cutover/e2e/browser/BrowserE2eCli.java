package dev.cutover.e2e.browser;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The end-to-end test's person at a browser: drives the real Temporal web UI in headless Chromium,
 * so the e2e proves that what the workflow shows and accepts there works, not only what the CLI
 * sends.
 */
@Command(
    name = "cutover-e2e-browser",
    mixinStandardHelpOptions = true,
    description = {
      "Drives the Temporal web UI in headless Chromium for cutover's end-to-end tests.",
      "",
      "Exit codes: 0 ok, 1 a UI step failed (see error.png and error.html), 2 invalid arguments;",
      "approve-update: 3 the workflow answered otherwise than --expect says."
    },
    subcommands = {ApproveCommand.class, ApproveUpdateCommand.class, CommandLine.HelpCommand.class})
public class BrowserE2eCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    CommandLine cli = newCommandLine();
    int code = cli.execute(args);
    // picocli's writers flush on println only: nothing printed may be lost at exit.
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(code);
  }

  /** The command line without a process around it, so tests can run it as a function. */
  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new BrowserE2eCli());
    cli.registerConverter(Duration.class, new DurationConverter());
    return cli;
  }
}
