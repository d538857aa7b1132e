package dev.cutover.fleet;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunActivities;
import dev.cutover.steps.run.RunRequest;
import dev.cutover.steps.run.RunResult;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The run activity for fleet tests: every member's commands in one list, and commands that fail
 * until the test lets them pass. The real activity has its own tests.
 */
final class FleetRunActivities implements RunActivities {
  final List<String> commands = new CopyOnWriteArrayList<>();
  final Set<String> failing = ConcurrentHashMap.newKeySet();

  @Override
  public RunResult run(RunRequest request) {
    commands.add(request.command());
    if (failing.contains(request.command())) {
      throw ApplicationFailure.newFailure(
          "step failed: exit code 1; last output: disk full",
          CutoverErrors.COMMAND_FAILED,
          new RunResult(1, "disk full", 1, false));
    }
    return new RunResult(0, "ok", 1, false);
  }
}
