package dev.cutover.hosts;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the wrapper ({@link WrappedScript}) says on stderr before the script starts: the script's
 * process group, what it stopped of earlier attempts ({@link LeaseScript}), a lease it could not
 * record, or why the script did not start. One per run, fed every stderr line; it takes marker
 * lines only until the group is known, so a script cannot pass for the wrapper later.
 *
 * <p>What the wrapper stopped and its warnings become output lines (in the tail, so status and the
 * history show them, and to the watch) and worker log lines, secrets masked like all output.
 */
public final class WrapperReport {
  private static final Logger log = LoggerFactory.getLogger(WrapperReport.class);

  /** How much of a stopped group's commands a message keeps. */
  private static final int COMMANDS_CHARS = 200;

  private final String hostName;
  private final ShellCommand command;
  private final OutputTail tail;
  private final ExecWatch watch;
  private final CountDownLatch settled = new CountDownLatch(1);
  private volatile long pgid = -1;
  private volatile String problem;

  public WrapperReport(String hostName, ShellCommand command, OutputTail tail, ExecWatch watch) {
    this.hostName = hostName;
    this.command = command;
    this.tail = tail;
    this.watch = watch;
  }

  /** Takes a line the wrapper wrote and returns true; false for the script's own output. */
  public boolean take(String line) {
    if (pgid > 1 || problem != null || !line.startsWith(WrappedScript.MARKER)) {
      return false;
    }
    long group = WrappedScript.parsePgid(line);
    if (group > 1) {
      pgid = group;
      settled.countDown();
    } else if (line.startsWith(LeaseScript.STOPPED_MARKER)) {
      say(stopped(line.substring(LeaseScript.STOPPED_MARKER.length())), false);
    } else if (line.startsWith(LeaseScript.WARN_MARKER)) {
      say(
          "warning: host "
              + hostName
              + ": this script runs without a lease ("
              + line.substring(LeaseScript.WARN_MARKER.length()).trim()
              + "): if the worker dies while it runs, a retry cannot stop it",
          true);
    } else if (line.startsWith(WrappedScript.NO_CWD_MARKER)
        || line.startsWith(WrappedScript.NO_SETSID_MARKER)
        || line.startsWith(LeaseScript.STOP_FAILED_MARKER)) {
      problem = line;
      settled.countDown();
    }
    return true;
  }

  /** The script's process group, or -1 while (or if ever) it is not known. */
  public long pgid() {
    return pgid;
  }

  /**
   * Waits until the wrapper reported the group or gave up, at most {@link
   * WrappedScript#launchWait}; returns the group or -1.
   */
  public long awaitPgid() throws InterruptedException {
    settled.await(WrappedScript.launchWait(command).toMillis(), TimeUnit.MILLISECONDS);
    return pgid;
  }

  /**
   * Why the wrapper did not start the script, as the failure for the step, or {@code null} when it
   * did.
   *
   * @param user who the script runs as, for messages
   */
  public ApplicationFailure failure(String user) {
    String line = problem;
    if (line == null) {
      return null;
    }
    if (line.startsWith(WrappedScript.NO_CWD_MARKER)) {
      return ApplicationFailure.newNonRetryableFailure(
          "host "
              + hostName
              + ": working directory "
              + command.cwd()
              + " does not exist (or user "
              + (command.sudo() ? "root" : user)
              + " cannot enter it)",
          CutoverErrors.INVALID_CONFIG);
    }
    if (line.startsWith(LeaseScript.STOP_FAILED_MARKER)) {
      String[] left = fields(line.substring(LeaseScript.STOP_FAILED_MARKER.length()));
      return ApplicationFailure.newFailure(
          "host "
              + hostName
              + ": what attempt "
              + left[0]
              + " left running there did not stop on TERM and KILL: "
              + group(left)
              + "; attempt "
              + command.attempt().attempt()
              + " does not start its script beside it",
          CutoverErrors.EARLIER_ATTEMPT_RUNNING);
    }
    return ApplicationFailure.newNonRetryableFailure(
        "host "
            + hostName
            + ": setsid is missing on the host (package util-linux); cutover needs it to stop a script with everything it started",
        CutoverErrors.MISSING_TOOL);
  }

  private String stopped(String rest) {
    String[] left = fields(rest);
    return "stopped what attempt "
        + left[0]
        + " left running on host "
        + hostName
        + ": "
        + group(left);
  }

  /**
   * A stopped group's marker fields: attempt, group, and the commands that ran in it (may be
   * empty).
   */
  private static String[] fields(String rest) {
    String[] parts = rest.trim().split(" ", 3);
    return new String[] {
      parts[0], parts.length > 1 ? parts[1] : "?", parts.length > 2 ? parts[2].trim() : ""
    };
  }

  /**
   * {@code process group 1234 (rsync -a ...)}. The commands are masked before they are shortened: a
   * secret cut in half would not be recognized (the wrapper sends more than is kept, for that).
   */
  private String group(String[] fields) {
    String commands = tail.mask(fields[2]);
    if (commands.length() > COMMANDS_CHARS) {
      commands = commands.substring(0, COMMANDS_CHARS) + "...";
    }
    return "process group " + fields[1] + (commands.isEmpty() ? "" : " (" + commands + ")");
  }

  private void say(String line, boolean warning) {
    watch.line(tail.add(line));
    String masked = tail.mask(line);
    if (warning) {
      log.warn("{}", masked);
    } else {
      log.info("{}", masked);
    }
  }
}
