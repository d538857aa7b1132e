package dev.cutover.hosts;

import java.time.Duration;

/**
 * Runs scripts on one host of the plan, on the worker's machine or over SSH. Every step kind acts
 * on hosts through this, so each kind works the same on both transports.
 *
 * <p>Failures to reach the host (unreachable, authentication, host key) are thrown as {@link
 * io.temporal.failure.ApplicationFailure} with a type from {@link dev.cutover.steps.CutoverErrors}
 * and a message that names the host; a script that runs and fails is a {@link ShellResult}.
 */
public interface HostShell {
  /** How much standard output a result keeps for parsing. */
  int STDOUT_LIMIT = 1 << 20;

  /** How much output a result keeps for status and history. */
  int TAIL_CHARS = 4000;

  /** How often {@link ExecWatch#beat} is called while a script runs. */
  Duration BEAT_EVERY = Duration.ofSeconds(2);

  /** The host's name in the plan, for messages. */
  String hostName();

  /**
   * Runs the script and waits for it. On timeout or when the watch's beat throws, the script and
   * everything it started are killed on the host before this returns or rethrows.
   */
  ShellResult exec(ShellCommand command, ExecWatch watch);

  /** Runs a short script with no watch. */
  default ShellResult exec(ShellCommand command) {
    return exec(command, ExecWatch.NONE);
  }
}
