package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgSessions;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The inside commands of a switch: their hosts reached before the freeze, the commands run after
 * the repoint while clients are held, their failures reported once the clients are released.
 */
final class SwitchInside {
  /** Longest an inside command may run: it runs while clients wait. */
  static final Duration INSIDE_TIMEOUT = Duration.ofSeconds(60);

  private SwitchInside() {}

  /** The hosts of the inside commands, reached now so the section pays no connection set-up. */
  static List<HostShell> reach(PgSwitchRequest r, PgSessions sessions) {
    List<HostShell> shells = new ArrayList<>();
    for (PgSwitchCommand c : r.inside()) {
      HostShell shell = sessions.shells().shell(c.hostName(), c.host());
      ShellFailures.check(
          "host " + c.hostName(), shell.exec(ShellCommand.of("true", Duration.ofSeconds(30))));
      shells.add(shell);
    }
    return shells;
  }

  /** Runs them in order on the shells {@link #reach} opened; returns what failed, one line each. */
  static List<String> run(PgSwitchRequest r, List<HostShell> shells) {
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < r.inside().size(); i++) {
      PgSwitchCommand c = r.inside().get(i);
      ShellResult result = shells.get(i).exec(ShellCommand.of(c.command(), INSIDE_TIMEOUT));
      if (!result.ok()) {
        failed.add(
            "`"
                + c.command()
                + "` on "
                + c.hostName()
                + (result.timedOut()
                    ? " timed out"
                    : " exited " + result.exitCode() + ": " + result.lastLine()));
      }
    }
    return failed;
  }

  /** Fails retryably, naming them, when commands failed: the switch itself is done. */
  static void failIfAnyFailed(PgSwitchRequest r, List<String> failed, long frozenMillis) {
    if (!failed.isEmpty()) {
      throw ApplicationFailure.newFailure(
          "step "
              + r.step()
              + ": switched to "
              + r.toName()
              + " (writes frozen "
              + frozenMillis
              + " ms), but "
              + String.join("; ", failed)
              + "; a retry finishes the switch and runs the commands again",
          CutoverErrors.COMMAND_FAILED);
    }
  }
}
