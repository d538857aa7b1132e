package dev.cutover.hosts;

/**
 * A shell whose scripts run for one activity attempt: every command it runs carries that attempt
 * (unless it names one itself), so the transport records the script's process group on the host
 * and stops what earlier attempts of the activity left running there ({@link LeaseScript}).
 */
final class AttemptShell implements HostShell {
  private final HostShell shell;
  private final ActivityAttempt attempt;

  AttemptShell(HostShell shell, ActivityAttempt attempt) {
    this.shell = shell;
    this.attempt = attempt;
  }

  @Override
  public String hostName() {
    return shell.hostName();
  }

  @Override
  public ShellResult exec(ShellCommand command, ExecWatch watch) {
    return shell.exec(command.attempt() == null ? command.withAttempt(attempt) : command, watch);
  }
}
