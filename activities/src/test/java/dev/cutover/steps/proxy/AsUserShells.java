package dev.cutover.steps.proxy;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.plan.Host;
import java.util.Set;

/** Local shells whose scripts run as another, unprivileged user (through runuser): a login without sudo. */
final class AsUserShells extends HostShells {
  private final String user;

  AsUserShells(String user) {
    super(new NoSshTransport(), Set.of());
    this.user = user;
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
        String script = "exec runuser -u " + Sh.quote(user) + " -- /bin/sh -c " + Sh.quote(c.script());
        return real.exec(new ShellCommand(script, c.env(), c.mask(), c.cwd(), c.sudo(), c.stdin(), c.timeout()), watch);
      }
    };
  }
}
