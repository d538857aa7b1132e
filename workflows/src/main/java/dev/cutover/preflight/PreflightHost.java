package dev.cutover.preflight;

import dev.cutover.plan.Host;
import java.util.List;

/**
 * A host the plan acts on and what its steps need there.
 *
 * @param name the host's name in the plan
 * @param host the host
 * @param tools commands the plan's steps run on it, like rsync, systemctl, crontab
 * @param sudo whether some step runs through sudo there (then {@code sudo -n true} must work)
 */
public record PreflightHost(String name, Host host, List<String> tools, boolean sudo) {
  public PreflightHost {
    tools = tools == null ? List.of() : List.copyOf(tools);
  }
}
