package dev.cutover.hosts;

import java.time.Duration;
import java.util.Set;

/**
 * A worker in a JVM of its own that runs one script of an activity attempt on the local host, for a
 * test to kill with SIGKILL in the middle, as the OOM killer or {@code kill -9} would.
 *
 * <p>Arguments: lease directory, workflow id, activity id, attempt, script.
 */
public final class WorkerThatDies {
  private WorkerThatDies() {}

  public static void main(String[] args) {
    ActivityAttempt attempt =
        ActivityAttempt.of(args[1], "run-1", args[2], Integer.parseInt(args[3]));
    LocalShell shell = new LocalShell("old", Set.of(), "sudo", args[0]);
    shell.exec(ShellCommand.of(args[4], Duration.ofMinutes(5)).withAttempt(attempt));
  }
}
