package dev.cutover.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cutover fleet}: move several services in waves, each its own migration. */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = {
      "Move a fleet: services in waves, each its own migration.",
      "Each service runs as a child workflow with its own history; a wave's shared",
      "gates open with one approval for all its members. The fleet file's shape is",
      "in docs/plan.md (\"Fleets\").",
      "ID is the fleet's name or its workflow id fleet-NAME.",
      "Exit codes as the other commands: 0 ok, 1 failed, 2 invalid input, 3",
      "rejected by the workflow."
    },
    subcommands = {
      FleetValidateCommand.class,
      FleetPreviewCommand.class,
      FleetStartCommand.class,
      FleetStatusCommand.class,
      FleetApproveCommand.class,
      FleetAbortCommand.class,
      FleetReportCommand.class,
      CommandLine.HelpCommand.class
    })
class FleetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
