package dev.cutover.workflow;

import dev.cutover.steps.run.RunActivities;
import dev.cutover.steps.run.RunRequest;
import dev.cutover.steps.run.RunResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for the run activity in workflow-logic tests: it records the commands it was asked to
 * run and answers with what the test scripted. The real activity has its own tests.
 */
final class ScriptedRunActivities implements RunActivities {
  final List<String> commands = new CopyOnWriteArrayList<>();
  final List<RunRequest> requests = new CopyOnWriteArrayList<>();
  private volatile Function<RunRequest, RunResult> script =
      r -> new RunResult(0, "ok: " + r.command(), 1, false);

  void answer(Function<RunRequest, RunResult> newScript) {
    this.script = newScript;
  }

  @Override
  public RunResult run(RunRequest request) {
    commands.add(request.command());
    requests.add(request);
    return script.apply(request);
  }
}
