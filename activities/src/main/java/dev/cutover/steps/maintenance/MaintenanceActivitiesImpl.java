package dev.cutover.steps.maintenance;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Pause;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunProgress;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Runs {@code maintenance} steps.
 *
 * <p>{@link MaintenanceMode#FILE}: on writes the flag file atomically (a temporary file in the same
 * directory, renamed into place, mode 0644 so the web server can read the page), and leaves a file
 * that already has the content alone; off removes it. {@link MaintenanceMode#COMMAND}: the check,
 * if any, tells whether the page is on; the on or off command runs (as the operator wrote it) only
 * when the page is not already so, and the check must agree afterwards.
 */
public class MaintenanceActivitiesImpl implements MaintenanceActivities {
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  /**
   * How long the check may take to agree after a command: a web server reloads in the background.
   */
  static final Duration SETTLE = Duration.ofSeconds(30);

  static final Duration POLL_EVERY = Duration.ofMillis(500);
  private static final int EXIT_NOT_A_FILE = 3;

  private final HostShells shells;
  private final Duration settle;

  public MaintenanceActivitiesImpl(HostShells shells) {
    this(shells, SETTLE);
  }

  /**
   * @param settle how long the check may take to agree after a command; tests shorten it
   */
  MaintenanceActivitiesImpl(HostShells shells, Duration settle) {
    this.shells = shells;
    this.settle = settle;
  }

  @Override
  public MaintenanceResult on(MaintenanceRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    return keepUndoOnRetry(context, on(request, context::heartbeat));
  }

  @Override
  public MaintenanceResult off(MaintenanceRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    return keepUndoOnRetry(context, off(request, context::heartbeat));
  }

  /**
   * A retry that finds the page already switched reports a change all the same: the earlier attempt
   * that switched it died before it could say so, and the undo depends on it.
   */
  private static MaintenanceResult keepUndoOnRetry(
      ActivityExecutionContext context, MaintenanceResult result) {
    if (!result.changed() && context.getInfo().getAttempt() > 1) {
      return new MaintenanceResult(result.wasOn(), result.on(), true);
    }
    return result;
  }

  MaintenanceResult on(MaintenanceRequest request, Heartbeat<RunProgress> heartbeat) {
    return ShellFailures.inStep(request.step(), () -> new Switch(request, heartbeat).to(true));
  }

  MaintenanceResult off(MaintenanceRequest request, Heartbeat<RunProgress> heartbeat) {
    return ShellFailures.inStep(request.step(), () -> new Switch(request, heartbeat).to(false));
  }

  /** Turning the page of one request on or off. */
  private final class Switch {
    private final MaintenanceRequest request;
    private final Heartbeat<RunProgress> heartbeat;
    private final HostShell shell;
    private final boolean sudo;
    private final String where;
    private final long started = System.nanoTime();

    Switch(MaintenanceRequest request, Heartbeat<RunProgress> heartbeat) {
      this.request = request;
      this.heartbeat = heartbeat;
      this.where = "step " + request.step() + " on host " + request.hostName();
      if (request.mode() == null) {
        throw invalid("no mode (file or command)");
      }
      this.shell = shells.shell(request.hostName(), request.host());
      this.sudo =
          request.host() != null
              ? request.host().sudoFor(request.sudo())
              : Boolean.TRUE.equals(request.sudo());
    }

    MaintenanceResult to(boolean on) {
      return request.mode() == MaintenanceMode.FILE ? file(on) : command(on);
    }

    // --- a flag file -----------------------------------------------------------------------

    private MaintenanceResult file(boolean on) {
      String path = request.path();
      if (path == null || !path.startsWith("/")) {
        throw invalid("the maintenance file needs an absolute path, not " + path);
      }
      String p = Sh.quote(path);
      String head =
          "p="
              + p
              + "\n"
              + "if [ -e \"$p\" ] || [ -L \"$p\" ]; then\n"
              + "  [ -f \"$p\" ] || { echo \"$p exists and is not a regular file\" >&2; exit "
              + EXIT_NOT_A_FILE
              + "; }\n";
      String script;
      byte[] stdin = null;
      if (on) {
        byte[] content =
            (request.content() == null ? "" : request.content()).getBytes(StandardCharsets.UTF_8);
        stdin = content;
        script =
            head
                + "  h=$(sha256sum < \"$p\" | cut -d' ' -f1)\n"
                + "  if [ \"$h\" = "
                + sha256(content)
                + " ]; then echo 'was-on unchanged'; exit 0; fi\n"
                + "  was=was-on\n"
                + "else was=was-off; fi\n"
                + "t=$(mktemp \"$p.cutover-XXXXXX\") || exit 1\n"
                + "if cat > \"$t\" && chmod 0644 \"$t\" && mv -f \"$t\" \"$p\"; then echo \"$was written\"; else rm -f \"$t\"; exit 1; fi";
      } else {
        script =
            head
                + "  rm -f -- \"$p\" && echo 'was-on removed'\n"
                + "else echo 'was-off unchanged'; fi";
      }
      beat(on ? "writing " + path : "removing " + path);
      ShellResult result =
          shell.exec(new ShellCommand(script, null, null, null, sudo, stdin, TIMEOUT));
      if (!result.ok()) {
        throw fileFailure(result);
      }
      String out = result.stdout().strip();
      boolean wasOn = out.startsWith("was-on");
      return new MaintenanceResult(wasOn, on, !out.endsWith("unchanged"));
    }

    private ApplicationFailure fileFailure(ShellResult result) {
      String out = result.outputTail();
      if (!result.timedOut() && !ShellFailures.sudoRefused(result)) {
        if (result.exitCode() == EXIT_NOT_A_FILE) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              where + ": " + request.path() + " exists and is not a regular file; not touched",
              CutoverErrors.INVALID_CONFIG,
              null,
              result.asRunResult());
        }
        if (ShellFailures.refusedByFileSystem(result)) {
          return ShellFailures.permissionDenied(
              where + ": may not write " + request.path() + " (" + result.lastLine() + ")",
              sudo,
              result);
        }
        if (out.contains("No such file or directory") || out.contains("Not a directory")) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              where
                  + ": the directory of "
                  + request.path()
                  + " does not exist ("
                  + result.lastLine()
                  + ")",
              CutoverErrors.INVALID_CONFIG,
              null,
              result.asRunResult());
        }
      }
      return ShellFailures.failure(where + ": maintenance file " + request.path(), result);
    }

    // --- commands ----------------------------------------------------------------------------

    private MaintenanceResult command(boolean on) {
      String command = on ? request.onCommand() : request.offCommand();
      if (command == null || command.isBlank()) {
        throw invalid("command mode needs " + (on ? "onCommand" : "offCommand"));
      }
      Boolean wasOn = request.checkCommand() == null ? null : check();
      if (wasOn != null && wasOn == on) {
        return new MaintenanceResult(wasOn, on, false);
      }
      beat("running the " + (on ? "on" : "off") + " command");
      ShellResult result =
          shell.exec(
              new ShellCommand(command, null, null, null, sudo, null, null),
              new ExecWatch() {
                @Override
                public void beat(long elapsedMillis, String lastLine) {
                  heartbeat.beat(new RunProgress(elapsed(), lastLine));
                }
              });
      ShellFailures.check(where + ": " + (on ? "on" : "off") + " command", result);
      if (request.checkCommand() != null) {
        long deadline = System.nanoTime() + settle.toNanos();
        while (check() != on) {
          if (System.nanoTime() > deadline) {
            throw ApplicationFailure.newFailure(
                where
                    + ": the maintenance page is still "
                    + (on ? "off" : "on")
                    + " "
                    + settle.toSeconds()
                    + "s after the "
                    + (on ? "on" : "off")
                    + " command: the check says so",
                CutoverErrors.COMMAND_FAILED);
          }
          beat("waiting for the check to say " + (on ? "on" : "off"));
          pause();
        }
      }
      return new MaintenanceResult(wasOn, on, true);
    }

    /** Whether the page is on: the check exits 0. A check that cannot run at all stops the step. */
    private boolean check() {
      ShellResult result =
          shell.exec(
              new ShellCommand(request.checkCommand(), null, null, null, sudo, null, TIMEOUT));
      if (result.ok()) {
        return true;
      }
      if (ShellFailures.couldNotRun(result)) {
        throw ShellFailures.failure(where + ": check command", result);
      }
      return false;
    }

    // --- shared ------------------------------------------------------------------------------

    private ApplicationFailure invalid(String what) {
      return ApplicationFailure.newNonRetryableFailure(
          where + ": " + what, CutoverErrors.INVALID_CONFIG);
    }

    private void beat(String what) {
      heartbeat.beat(new RunProgress(elapsed(), what));
    }

    private long elapsed() {
      return (System.nanoTime() - started) / 1_000_000;
    }

    private void pause() {
      Pause.sleep(POLL_EVERY, where);
    }
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
