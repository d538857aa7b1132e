package dev.cutover.steps.run;

import dev.cutover.plan.Host;
import java.time.Duration;
import java.util.Map;

/**
 * What to run, where. {@code secretEnv} maps variable names to secret references such as {@code
 * env:DB_PASSWORD}; the worker resolves them, so no value ever enters the history.
 */
public record RunRequest(
    String step,
    String hostName,
    Host host,
    String command,
    String cwd,
    Map<String, String> env,
    Map<String, String> secretEnv,
    Duration timeout,
    boolean sudo) {

  public RunRequest {
    // Sorted, so the activity input recorded in history is the same whichever worker wrote it.
    env =
        env == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(env));
    secretEnv =
        secretEnv == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(secretEnv));
  }
}
