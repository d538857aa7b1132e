package dev.cutover.steps.reboot;

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
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Runs {@code reboot} steps (see {@link RebootActivities}): saves the boot id, asks the host to
 * reboot ({@code systemctl reboot}, else {@code shutdown -r now}), then asks for the boot id again
 * and again over fresh connections until it has changed.
 *
 * <p>Every try to reach the host goes through the ordinary transport, so the host key is verified
 * each time: a retryable failure (refused, no answer, connection lost) means "not back yet", a
 * non-retryable one (host key mismatch or unknown, authentication) ends the step at once.
 */
public class RebootActivitiesImpl implements RebootActivities {
  static final String BOOT_ID = "/proc/sys/kernel/random/boot_id";
  static final String REBOOT =
      "if command -v systemctl >/dev/null 2>&1; then exec systemctl reboot; else exec shutdown -r now; fi";

  /**
   * Between tries while the host is down: often enough to measure the downtime to a few seconds.
   */
  static final Duration POLL = Duration.ofSeconds(2);

  /**
   * One read of the boot id: a connection that hangs (the host went down under it) is given up
   * after this.
   */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

  /** The reboot command returns once the shutdown is queued, or the connection drops under it. */
  static final Duration REBOOT_TIMEOUT = Duration.ofMinutes(1);

  /** A heartbeat's last answer is one line for the UI, not a whole failure. */
  static final int MAX_ANSWER_CHARS = 200;

  /**
   * Names that become one directory each under ~/.cutover, as the plan's validation allows them.
   */
  private static final Pattern PATH_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private static final Pattern BOOT_ID_TEXT = Pattern.compile("[0-9a-fA-F-]{8,64}");
  private static final Pattern NOT_ALLOWED =
      Pattern.compile(
          "Interactive authentication required|Access denied|must be (superuser|root)|Permission denied|not permitted");

  private final HostShells shells;
  private final String rebootScript;
  private final String bootIdFile;
  private final Duration poll;

  public RebootActivitiesImpl(HostShells shells) {
    this(shells, REBOOT, BOOT_ID, POLL);
  }

  /**
   * For tests, whose host is a test server: a stand-in for the reboot command, and a file standing
   * for the kernel's boot id that the stand-in changes.
   */
  RebootActivitiesImpl(HostShells shells, String rebootScript, String bootIdFile, Duration poll) {
    this.shells = shells;
    this.rebootScript = rebootScript;
    this.bootIdFile = bootIdFile;
    this.poll = poll;
  }

  @Override
  public RebootResult reboot(RebootRequest request) {
    return reboot(request, Heartbeat.ofActivity());
  }

  /**
   * The step; {@code heartbeat} throws when Temporal asks to cancel (and on the activity's
   * timeout).
   */
  RebootResult reboot(RebootRequest request, Heartbeat<RebootProgress> heartbeat) {
    return ShellFailures.inStep(
        request.step(),
        () -> {
          validate(request);
          String where = "step " + request.step() + " on host " + request.hostName();
          HostShell shell = shells.shell(request.hostName(), request.host());
          String dir =
              "\"$HOME\"/.cutover/"
                  + Sh.quote(request.migration())
                  + "/"
                  + Sh.quote(request.step());
          String[] state = readBootIds(shell, dir, where);
          String now = state[0];
          String saved = state[1];
          if (saved != null && !saved.equals(now)) {
            // An earlier attempt rebooted the host, which is back: do not reboot it again.
            heartbeat.beat(new RebootProgress("back", 0, "boot id " + now));
            return new RebootResult(saved, now, 0, false);
          }
          String before = saved != null ? saved : now;
          long started = System.nanoTime();
          requestReboot(request, shell, dir, before, where);
          return awaitNewBoot(request, before, started, heartbeat);
        });
  }

  /** The boot id now and the one saved by an earlier attempt ({@code null} when none). */
  private String[] readBootIds(HostShell shell, String dir, String where) {
    String script =
        "cat "
            + Sh.quote(bootIdFile)
            + " || exit 3\necho\n"
            + "d="
            + dir
            + "\nif [ -f \"$d/boot-id\" ]; then cat \"$d/boot-id\"; fi";
    ShellResult result = shell.exec(ShellCommand.of(script, READ_TIMEOUT));
    if (!result.ok()) {
      throw ShellFailures.failure(where + ": reading the boot id (" + bootIdFile + ")", result);
    }
    String[] lines = result.stdout().strip().split("\\s+");
    String now = checkedBootId(lines[0], where);
    String saved = lines.length > 1 && !lines[1].isBlank() ? checkedBootId(lines[1], where) : null;
    return new String[] {now, saved};
  }

  /**
   * Saves the boot id (unless an earlier attempt did) and asks for the reboot. A connection that
   * drops under the command is the reboot under way; a refusal (no right to reboot, sudo asking for
   * a password) stops the step.
   */
  private void requestReboot(
      RebootRequest request, HostShell shell, String dir, String before, String where) {
    String save =
        "umask 077\nd="
            + dir
            + "\nmkdir -p \"$d\" && chmod 700 \"$d\" || exit 1\n"
            + "[ -f \"$d/boot-id\" ] || printf '%s\\n' "
            + Sh.quote(before)
            + " > \"$d/boot-id\"";
    ShellFailures.check(
        where + ": saving the boot id", shell.exec(ShellCommand.of(save, READ_TIMEOUT)));
    boolean sudo = request.host() != null && request.host().sudoFor(request.sudo());
    ShellResult result;
    try {
      result = shell.exec(ShellCommand.of(rebootScript, REBOOT_TIMEOUT).withSudo(sudo));
    } catch (ApplicationFailure f) {
      if (f.isNonRetryable()) {
        throw f;
      }
      return;
    }
    if (result.ok() || result.timedOut()) {
      return;
    }
    if (NOT_ALLOWED.matcher(result.outputTail()).find() && !ShellFailures.sudoRefused(result)) {
      throw ShellFailures.permissionDenied(
          where + ": not allowed to reboot (" + result.lastLine().strip() + ")", sudo, result);
    }
    throw ShellFailures.failure(where + ": the reboot command", result);
  }

  private RebootResult awaitNewBoot(
      RebootRequest request, String before, long started, Heartbeat<RebootProgress> heartbeat) {
    String where = "step " + request.step() + " on host " + request.hostName();
    long deadline = started + request.upWithin().toNanos();
    String state = "rebooting";
    String last = "asked to reboot";
    while (true) {
      long elapsed = (System.nanoTime() - started) / 1_000_000;
      heartbeat.beat(new RebootProgress(state, elapsed, last));
      if (System.nanoTime() - deadline > 0) {
        String what =
            state.equals("rebooting")
                ? "is still up with the same boot id "
                    + (request.upWithin().toSeconds())
                    + "s after the reboot command: it did not reboot"
                : "did not come back within "
                    + request.upWithin().toSeconds()
                    + "s after the reboot (last: "
                    + last
                    + ")";
        throw ApplicationFailure.newFailure(
            where + ": the host " + what + "; look at its console",
            state.equals("rebooting")
                ? CutoverErrors.COMMAND_FAILED
                : CutoverErrors.HOST_UNREACHABLE);
      }
      Pause.sleep(poll, where);
      try {
        HostShell shell = shells.shell(request.hostName(), request.host());
        ShellResult result =
            shell.exec(
                ShellCommand.of("cat " + Sh.quote(bootIdFile), READ_TIMEOUT),
                new ExecWatch() {
                  @Override
                  public void beat(long elapsedMillis, String lastLine) {
                    heartbeat.beat(
                        new RebootProgress(
                            "down",
                            (System.nanoTime() - started) / 1_000_000,
                            "waiting for an answer"));
                  }
                });
        if (!result.ok()) {
          state = "down";
          last =
              result.timedOut()
                  ? "no answer in " + READ_TIMEOUT.toSeconds() + "s"
                  : "exit code " + result.exitCode();
          continue;
        }
        String now = result.stdout().strip();
        if (!now.equals(before)) {
          String after = checkedBootId(now, where);
          long waited = (System.nanoTime() - started) / 1_000_000;
          heartbeat.beat(new RebootProgress("back", waited, "boot id " + after));
          return new RebootResult(before, after, waited, true);
        }
        last = "still up with the old boot id";
      } catch (ApplicationFailure f) {
        // Not back yet (refused, no answer, dropped); a host key or login refused is final.
        if (f.isNonRetryable()) {
          throw f;
        }
        state = "down";
        String message = f.getOriginalMessage() == null ? f.getType() : f.getOriginalMessage();
        last =
            message.length() > MAX_ANSWER_CHARS
                ? message.substring(0, MAX_ANSWER_CHARS) + "..."
                : message;
      }
    }
  }

  private static String checkedBootId(String text, String where) {
    String id = text.strip();
    if (!BOOT_ID_TEXT.matcher(id).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          where
              + ": the host's boot id is not what Linux gives ("
              + BOOT_ID
              + "); reboot is for Linux hosts",
          CutoverErrors.INVALID_CONFIG);
    }
    return id;
  }

  private static void validate(RebootRequest r) {
    String problem = null;
    if (r.host() == null || !r.host().usesSsh()) {
      problem =
          "host "
              + r.hostName()
              + " is not reached over ssh: the worker never reboots the machine it runs on";
    } else if (r.migration() == null || !PATH_NAME.matcher(r.migration()).matches()) {
      problem = "the migration's name is not usable as a directory name";
    } else if (!PATH_NAME.matcher(r.step()).matches()) {
      problem = "the step's name is not usable as a directory name";
    } else if (r.upWithin() == null || r.upWithin().isNegative() || r.upWithin().isZero()) {
      problem = "no time is given for the host to come back";
    }
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + r.step() + ": " + problem, CutoverErrors.INVALID_CONFIG);
    }
  }
}
