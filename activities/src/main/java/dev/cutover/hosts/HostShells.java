package dev.cutover.hosts;

import dev.cutover.plan.Host;
import dev.cutover.plan.Transport;
import java.util.Set;

/** Picks the shell for a host by its transport. The one entry point step activities use. */
public class HostShells {
  private final SshTransport ssh;
  private final Set<String> passEnv;

  /** @param passEnv worker variables that local scripts may see besides the base environment */
  public HostShells(SshTransport ssh, Set<String> passEnv) {
    this.ssh = ssh;
    this.passEnv = Set.copyOf(passEnv);
  }

  public HostShell shell(String hostName, Host host) {
    Transport transport = host == null ? Transport.LOCAL : host.transportOrDefault();
    return switch (transport) {
      case LOCAL -> new LocalShell(hostName, passEnv);
      case SSH -> ssh.shell(hostName, host);
    };
  }

  public SshTransport ssh() {
    return ssh;
  }
}
