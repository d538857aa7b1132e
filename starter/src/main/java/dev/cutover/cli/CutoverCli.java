package dev.cutover.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cutover} command line. */
@Command(
    name = "cutover",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs a server migration as one durable Temporal workflow: plan file in, phases, gates a person",
      "approves, and the Temporal history as the audit trail.",
      "",
      "Exit codes: 0 ok, 1 failed, 2 invalid input, 3 rejected by the workflow."
    },
    subcommands = {
      ValidateCommand.class,
      PreviewCommand.class,
      StartCommand.class,
      StatusCommand.class,
      ReportCommand.class,
      ApproveCommand.class,
      DecideCommand.class,
      AbortCommand.class,
      ListCommand.class,
      DevCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public class CutoverCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    CommandLine cli = newCommandLine();
    int code = cli.execute(args);
    // picocli's writers flush on println only: what a command print()ed must not be lost at exit.
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(code);
  }

  /** Runs the CLI as a function, so tests can drive it without a process. */
  public static int execute(String... args) {
    return newCommandLine().execute(args);
  }

  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new CutoverCli());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CliFailure failure) {
        commandLine.getErr().println("cutover: " + failure.getMessage());
        commandLine.getErr().flush();
        return failure.exitCode();
      }
      commandLine.getErr().println("cutover: " + TemporalConnection.rootMessage(e));
      commandLine.getErr().flush();
      return ExitCode.FAILED;
    });
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine c = e.getCommandLine();
      c.getErr().println("cutover: " + e.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
      c.getErr().flush();
      return ExitCode.INVALID_INPUT;
    });
    return cli;
  }
}
