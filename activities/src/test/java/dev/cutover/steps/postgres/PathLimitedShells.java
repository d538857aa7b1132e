package dev.cutover.steps.postgres;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.plan.Host;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Local shells that see only the given PATH: a machine without the client tools, or with old ones. */
final class PathLimitedShells extends HostShells {
  private final String path;

  PathLimitedShells(String path) {
    super(new NoSshTransport(), Set.of());
    this.path = path;
  }

  @Override
  public HostShell shell(String hostName, Host host) {
    HostShell real = super.shell(hostName, host);
    return new HostShell() {
      @Override
      public String hostName() {
        return real.hostName();
      }

      @Override
      public ShellResult exec(ShellCommand c, ExecWatch watch) {
        Map<String, String> env = new HashMap<>(c.env());
        env.put("PATH", path);
        return real.exec(new ShellCommand(c.script(), env, c.mask(), c.cwd(), c.sudo(), c.stdin(), c.timeout()), watch);
      }
    };
  }
}
