package dev.cutover.steps.run;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The fields of a {@code run} step. */
public record RunSpec(
    @Doc("Name of the host to run on (from hosts).") String host,
    @Doc("Run through `sudo -n` on the host (default: the host's sudo).") Boolean sudo,
    @Doc("The command, passed to sh -c exactly as written.") String command,
    @Doc("Working directory.") String cwd,
    @Doc("Environment variables with literal values.") Map<String, String> env,
    @Doc("Environment variables whose values come from named secrets.")
        Map<String, String> secretEnv)
    implements StepSpec {
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public RunSpec {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    secretEnv =
        secretEnv == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secretEnv));
  }

  @Override
  public void validate(SpecCheck check) {
    check.hostRef("host", host);
    if (command == null || command.isBlank()) {
      check.report(null, "missing field 'command': a run step needs the command to run");
    }
    if (host == null) {
      check.report(null, "missing field 'host': a run step needs the host to run on");
    }
    env.keySet().forEach(k -> envName(check, "env." + k, k));
    secretEnv.forEach(
        (k, secret) -> {
          envName(check, "secretEnv." + k, k);
          if (!check.secretKnown(secret)) {
            // The value is not repeated: an operator may have pasted the password itself here.
            check.report(
                "secretEnv." + k,
                "names no entry under secrets"
                    + check.declaredSecrets()
                    + "; secretEnv maps a variable to a secret's name, and secrets maps the name to env:NAME or file:/path");
          }
        });
  }

  private static void envName(SpecCheck check, String field, String name) {
    if (!ENV_NAME.matcher(name).matches()) {
      check.report(field, "'" + name + "' is not a valid environment variable name");
    }
  }
}
