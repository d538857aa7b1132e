package dev.cutover.hosts;

/**
 * Follows a running script: every output line (to parse progress) and a regular beat (to heartbeat
 * the activity). A beat that throws, as Temporal's heartbeat does when the activity is canceled,
 * kills the script on the host and the exception reaches the caller.
 */
public interface ExecWatch {
  /** Does nothing: for short scripts outside an activity. */
  ExecWatch NONE = new ExecWatch() {};

  /** One line of output, stdout or stderr, secrets masked. Called from a reader thread. */
  default void line(String line) {}

  /** Called about every {@link HostShell#BEAT_EVERY} while the script runs. */
  default void beat(long elapsedMillis, String lastLine) {}
}
