package dev.cutover.hosts;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A script for {@code /bin/sh} on a host. Values from the plan are already quoted into {@code
 * script} by the caller (see {@link Sh#quote}); {@code env} values are passed so that they never
 * appear on a command line another user of the host could read with {@code ps}.
 *
 * @param script the shell script, run by {@code /bin/sh -c}
 * @param env variables set for the script; may hold resolved secret values
 * @param mask values masked in every line of output the caller keeps (the resolved secrets)
 * @param cwd the working directory on the host; {@code null} for the user's home (ssh) or the
 *     worker's directory (local)
 * @param sudo whether the script runs through {@code sudo -n} (never prompts: no password, fail)
 * @param stdin bytes given to the script on standard input; {@code null} for none (end of file at
 *     once)
 * @param timeout longest time the script may run before it is killed
 * @param attempt the activity attempt the script runs for, {@code null} outside an activity; {@link
 *     HostShells} fills it in, so step code never sets it
 */
public record ShellCommand(
    String script,
    Map<String, String> env,
    List<String> mask,
    String cwd,
    boolean sudo,
    byte[] stdin,
    Duration timeout,
    ActivityAttempt attempt) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  public ShellCommand {
    env = env == null ? Map.of() : Map.copyOf(env);
    mask = mask == null ? List.of() : List.copyOf(mask);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** A script that runs for no activity attempt (until {@link HostShells}' shell says which). */
  public ShellCommand(
      String script,
      Map<String, String> env,
      List<String> mask,
      String cwd,
      boolean sudo,
      byte[] stdin,
      Duration timeout) {
    this(script, env, mask, cwd, sudo, stdin, timeout, null);
  }

  /** A script with no environment, input or sudo. */
  public static ShellCommand of(String script, Duration timeout) {
    return new ShellCommand(script, Map.of(), List.of(), null, false, null, timeout);
  }

  public ShellCommand withScript(String newScript) {
    return new ShellCommand(newScript, env, mask, cwd, sudo, stdin, timeout, attempt);
  }

  public ShellCommand withEnv(Map<String, String> newEnv) {
    return new ShellCommand(script, newEnv, mask, cwd, sudo, stdin, timeout, attempt);
  }

  public ShellCommand withSudo(boolean useSudo) {
    return new ShellCommand(script, env, mask, cwd, useSudo, stdin, timeout, attempt);
  }

  public ShellCommand withStdin(byte[] input) {
    return new ShellCommand(script, env, mask, cwd, sudo, input, timeout, attempt);
  }

  /** The command with {@code more} values masked as well (the plan's other secrets). */
  public ShellCommand withMoreMask(java.util.Collection<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    java.util.List<String> all = new java.util.ArrayList<>(mask);
    all.addAll(more);
    return new ShellCommand(script, env, all, cwd, sudo, stdin, timeout, attempt);
  }

  public ShellCommand withAttempt(ActivityAttempt runsFor) {
    return new ShellCommand(script, env, mask, cwd, sudo, stdin, timeout, runsFor);
  }
}
