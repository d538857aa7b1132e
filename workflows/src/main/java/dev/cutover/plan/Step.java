package dev.cutover.plan;

import java.time.Duration;
import java.util.Map;

/**
 * One typed step. Common fields come first; the rest belong to the step kinds that use them (see
 * docs/plan.md, one section per kind).
 */
@Doc("One step of a phase.")
public record Step(
    @Doc("Unique name of the step in the plan; operators decide on it by this name. Required except in undo.") String name,
    @Required @Doc("The kind of step.") StepKind kind,
    @Doc("Name of the host the step acts on (from hosts).") String host,
    @Doc("Free text shown in status, the UI and reports.") String description,
    @Doc("Longest time one attempt may take (default 10m).") Duration timeout,
    @Doc("Retry policy for the step's attempts.") Retry retry,
    @Doc("What to do when the retries are spent: ask (default), abort or continue.") OnFailure onFailure,
    @Doc("The step that reverts this one when the migration is aborted before the point of no return.")
        Step undo,
    @Doc("After this step starts, abort no longer undoes finished steps: it stops and holds.")
        Boolean pointOfNoReturn,
    @Doc("run: the command, passed to sh -c exactly as written.") String command,
    @Doc("run: working directory.") String cwd,
    @Doc("run: environment variables with literal values.") Map<String, String> env,
    @Doc("run: environment variables whose values come from named secrets.") Map<String, String> secretEnv,
    @Doc("wait: how long to wait.") Duration duration) {

  public Step {
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    secretEnv = secretEnv == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(secretEnv));
  }

  public OnFailure onFailureOrDefault() {
    return onFailure == null ? OnFailure.ASK : onFailure;
  }

  public boolean isPointOfNoReturn() {
    return Boolean.TRUE.equals(pointOfNoReturn);
  }
}
