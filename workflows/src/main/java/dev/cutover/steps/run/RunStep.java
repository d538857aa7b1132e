package dev.cutover.steps.run;

import dev.cutover.plan.Host;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code run} step in the workflow: one command on a host; its undo is whatever step the plan
 * names.
 */
public final class RunStep implements StepHandler<RunSpec> {
  /** Reaches no host of the plan, or needs nothing checked first. */
  @Override
  public boolean needsPreflight() {
    return false;
  }

  @Override
  public String preview(RunSpec s, PhaseName phase, Plan plan) {
    return " $ " + s.command().strip().replace("\n", "\n        ");
  }

  @Override
  public StepDone run(StepCall call, RunSpec spec) {
    Host host = call.plan().host(spec.host());
    RunRequest request =
        new RunRequest(
            call.step().name(),
            spec.host(),
            host,
            spec.command(),
            spec.cwd(),
            spec.env(),
            secretRefs(call, spec),
            call.timeout(),
            host != null && host.sudoFor(spec.sudo()));
    RunResult result = call.activities(RunActivities.class).run(request);
    return new StepDone(result.outputTail(), null, null, result.exitCode());
  }

  /** The plan maps variables to secret names; the activity gets the references, never values. */
  private static Map<String, String> secretRefs(StepCall call, RunSpec spec) {
    Map<String, String> refs = new TreeMap<>();
    spec.secretEnv().forEach((var, secret) -> refs.put(var, call.plan().secrets().get(secret)));
    return refs;
  }
}
