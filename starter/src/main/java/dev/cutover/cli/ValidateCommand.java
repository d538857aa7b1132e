package dev.cutover.cli;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
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
      "Check a plan file without running anything.",
      "Every problem is printed as FILE:LINE:COL: field.path: message; exit code 2 if there is any."
    })
class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PLAN", description = "The plan file (YAML).")
  Path plan;

  @Override
  public Integer call() {
    Plan p = PlanFiles.load(plan, spec.commandLine().getErr());
    int steps = 0;
    for (PhaseName phase : p.phases().present()) {
      steps += p.phases().stepsWithNested(phase).size();
    }
    spec.commandLine()
        .getOut()
        .printf(
            "%s: ok — migration %s, %d phase(s), %d step(s), %d gate(s)%n",
            plan, p.migration(), p.phases().present().size(), steps, p.gates().size());
    return ExitCode.OK;
  }
}
