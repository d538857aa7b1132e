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
      FleetCommand.class,
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

  /** Set to print the stack trace behind an error line, for a bug report. */
  static final String DEBUG_ENV = "CUTOVER_DEBUG";

  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new CutoverCli());
    // picocli hands Exceptions to the handler below but lets Errors (out of memory, a missing
    // class) through to the JVM, which prints their stack: catch them here.
    CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
    cli.setExecutionStrategy(
        parseResult -> {
          try {
            return runLast.execute(parseResult);
          } catch (Error e) {
            CommandLine failed =
                parseResult.subcommand() == null
                    ? parseResult.commandSpec().commandLine()
                    : lastSubcommand(parseResult).commandSpec().commandLine();
            return failure(failed, e);
          }
        });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(commandLine, e));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine c = e.getCommandLine();
          c.getErr().println("cutover: " + TemporalConnection.firstLine(e.getMessage()));
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
          c.getErr().flush();
          return ExitCode.INVALID_INPUT;
        });
    return cli;
  }

  /**
   * One line on stderr for whatever a command threw: a {@link CliFailure} says it all; anything
   * else is named with the command that failed and its innermost message. The stack trace only with
   * {@value #DEBUG_ENV}=1.
   */
  private static int failure(CommandLine commandLine, Throwable e) {
    var err = commandLine.getErr();
    if (e instanceof CliFailure failure) {
      err.println("cutover: " + TemporalConnection.firstLine(failure.getMessage()));
      err.flush();
      return failure.exitCode();
    }
    String command = commandLine.getCommandSpec().qualifiedName();
    err.println(
        command
            + ": failed: "
            + TemporalConnection.rootMessage(e)
            + (debug() ? "" : " (" + DEBUG_ENV + "=1 shows the stack trace)"));
    if (debug()) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCode.FAILED;
  }

  private static boolean debug() {
    String value = System.getenv(DEBUG_ENV);
    return value != null && !value.isBlank() && !value.equals("0");
  }

  private static CommandLine.ParseResult lastSubcommand(CommandLine.ParseResult parseResult) {
    CommandLine.ParseResult last = parseResult;
    while (last.subcommand() != null) {
      last = last.subcommand();
    }
    return last;
  }
}
