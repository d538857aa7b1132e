package dev.cutover.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "preview",
    mixinStandardHelpOptions = true,
    description = {
      "Print a fleet as it will run. Changes nothing.",
      "Its waves in order, each wave's shared gates, every service with its plan's",
      "source, workflow id, dependencies, phases and steps. A member's every",
      "command and timer: cutover preview on its plan."
    })
class FleetPreviewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FLEET", description = "The fleet file (YAML).")
  Path file;

  @Override
  public Integer call() {
    spec.commandLine()
        .getOut()
        .print(FleetPreview.render(FleetFiles.load(file, spec.commandLine().getErr())));
    return ExitCode.OK;
  }
}
