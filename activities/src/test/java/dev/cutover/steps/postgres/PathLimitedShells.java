package dev.cutover.steps.postgres;

import dev.cutover.testing.RewritingShells;
import java.util.HashMap;
import java.util.Map;

/**
 * Local shells that see only the given PATH: a machine without the client tools, or with old ones.
 */
final class PathLimitedShells extends RewritingShells {
  PathLimitedShells(String path) {
    super(
        c -> {
          Map<String, String> env = new HashMap<>(c.env());
          env.put("PATH", path);
          return c.withEnv(env);
        });
  }
}
