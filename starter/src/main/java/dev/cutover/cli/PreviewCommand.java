package dev.cutover.cli;

import dev.cutover.plan.Plan;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "preview",
    mixinStandardHelpOptions = true,
    description =
        "Print every phase, gate, step, command and timer of a plan in the order the workflow runs them. Changes nothing.")
class PreviewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PLAN", description = "The plan file (YAML).")
  Path plan;

  @Override
  public Integer call() {
    Plan p = PlanFiles.load(plan, spec.commandLine().getErr());
    spec.commandLine().getOut().print(PlanPreview.render(p));
    return ExitCode.OK;
  }
}
