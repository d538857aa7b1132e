package dev.cutover.cli;

import dev.cutover.fleet.Fleet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a fleet file, its templates and member plans; start nothing.",
      "Every problem is printed as FILE:LINE:COL: message (a member's problems name",
      "the service); exit code 2 if there is any."
    })
class FleetValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FLEET", description = "The fleet file (YAML).")
  Path file;

  @Override
  public Integer call() {
    Fleet fleet = FleetFiles.load(file, spec.commandLine().getErr());
    int gates = fleet.waves().stream().mapToInt(w -> w.gates().size()).sum();
    spec.commandLine()
        .getOut()
        .printf(
            "%s: ok — fleet %s, %d service(s) in %d wave(s), %d shared gate(s), %d at once%n",
            file,
            fleet.fleet(),
            fleet.services().size(),
            fleet.waves().size(),
            gates,
            fleet.concurrency());
    return ExitCode.OK;
  }
}
