package dev.cutover.hosts;

import dev.cutover.secrets.SecretMask;

/**
 * A shell whose scripts run for one activity attempt: every command it runs carries that attempt
 * (unless it names one itself), so the transport records the script's process group on the host and
 * stops what earlier attempts of the activity left running there ({@link LeaseScript}). Its output
 * is masked with every secret of the activity's plan, not only the ones the step named: the scripts
 * may run on another thread than the activity's, so the mask is handed over here.
 */
final class AttemptShell implements HostShell {
  private final HostShell shell;
  private final ActivityAttempt attempt;
  private final SecretMask planSecrets;

  /**
   * @param attempt the attempt, {@code null} for none; @param planSecrets the plan's secrets
   */
  AttemptShell(HostShell shell, ActivityAttempt attempt, SecretMask planSecrets) {
    this.shell = shell;
    this.attempt = attempt;
    this.planSecrets = planSecrets;
  }

  @Override
  public String hostName() {
    return shell.hostName();
  }

  @Override
  public ShellResult exec(ShellCommand command, ExecWatch watch) {
    ShellCommand withAttempt =
        command.attempt() == null && attempt != null ? command.withAttempt(attempt) : command;
    return shell.exec(withAttempt.withMoreMask(planSecrets.values()), watch);
  }
}
