package dev.cutover.testing;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.plan.Host;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Local shells that change every command before it runs, to stand for a host that differs from this
 * machine (another user, another PATH). The change keeps the rest of the command, its activity
 * attempt included.
 */
public class RewritingShells extends HostShells {
  private final UnaryOperator<ShellCommand> rewrite;

  public RewritingShells(UnaryOperator<ShellCommand> rewrite) {
    super(new NoSshTransport(), Set.of());
    this.rewrite = rewrite;
  }

  @Override
  public HostShell shell(String hostName, Host host) {
    return rewriting(super.shell(hostName, host), rewrite);
  }

  /** {@code real}, with every command changed by {@code rewrite} first. */
  public static HostShell rewriting(HostShell real, UnaryOperator<ShellCommand> rewrite) {
    return new HostShell() {
      @Override
      public String hostName() {
        return real.hostName();
      }

      @Override
      public ShellResult exec(ShellCommand command, ExecWatch watch) {
        return real.exec(rewrite.apply(command), watch);
      }
    };
  }
}
