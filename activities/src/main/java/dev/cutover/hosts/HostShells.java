package dev.cutover.hosts;

import dev.cutover.plan.Host;
import dev.cutover.plan.Transport;
import dev.cutover.secrets.ActivitySecrets;
import dev.cutover.secrets.SecretMask;
import java.util.Set;

/**
 * Picks the shell for a host by its transport. The one entry point step activities use, and so the
 * one place that ties scripts to the activity attempt they run for.
 */
public class HostShells {
  private final SshTransport ssh;
  private final Set<String> passEnv;

  /**
   * @param passEnv worker variables that local scripts may see besides the base environment
   */
  public HostShells(SshTransport ssh, Set<String> passEnv) {
    this.ssh = ssh;
    this.passEnv = Set.copyOf(passEnv);
  }

  /**
   * The shell for the host. Asked for on an activity's thread, its scripts run for that activity's
   * attempt even when they run on another thread: a retry first stops what an earlier attempt of
   * the activity left running on the host (its worker died); and their output is masked with all
   * the plan's secrets. Outside an activity, scripts run as they are.
   */
  public HostShell shell(String hostName, Host host) {
    Transport transport = host == null ? Transport.LOCAL : host.transportOrDefault();
    HostShell shell =
        switch (transport) {
          case LOCAL -> new LocalShell(hostName, passEnv);
          case SSH -> ssh.shell(hostName, host);
        };
    ActivityAttempt attempt = ActivityAttempt.current();
    SecretMask planSecrets = ActivitySecrets.current();
    return attempt == null && planSecrets.isEmpty()
        ? shell
        : new AttemptShell(shell, attempt, planSecrets);
  }

  public SshTransport ssh() {
    return ssh;
  }
}
