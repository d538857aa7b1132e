package dev.cutover.hosts;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.failure.ApplicationFailure;

/**
 * Turns a script that did not succeed into a classified failure, the same way for every step kind:
 * what cannot get better by retrying (a missing command, a refused permission, sudo asking for a
 * password) stops at once; the rest is retried.
 */
public final class ShellFailures {
  /**
   * What to do when sudo will not run cutover's scripts without asking (docs/plan.md, "sudo"): they
   * arrive as one shell, so a rule for a few programs cannot allow them.
   */
  public static final String SUDO_ADVICE =
      "cutover runs its scripts as sudo -n -- /bin/sh -c ..., so give this user NOPASSWD: ALL"
          + " in sudoers (a rule for a few programs does not fit), or log in as root";

  /** The shell's exit code when the command is not found. */
  public static final int EXIT_NOT_FOUND = 127;

  /** The shell's exit code when the command is there but may not be run. */
  public static final int EXIT_NOT_EXECUTABLE = 126;

  private ShellFailures() {}

  /**
   * Returns the result if the script succeeded, else throws.
   *
   * @param where what was being done, naming the step and host: "step sync-files on host old:
   *     rsync"
   */
  public static ShellResult check(String where, ShellResult result) {
    if (result.ok()) {
      return result;
    }
    throw failure(where, result);
  }

  public static ApplicationFailure failure(String where, ShellResult result) {
    RunResult details = result.asRunResult();
    String last = result.lastLine();
    if (result.timedOut()) {
      return ApplicationFailure.newFailureWithCause(
          where + ": timed out after " + result.durationMillis() / 1000 + "s; last output: " + last,
          CutoverErrors.COMMAND_TIMED_OUT,
          null,
          details);
    }
    if (sudoRefused(result)) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          where + ": sudo asks for a password; " + SUDO_ADVICE,
          CutoverErrors.PERMISSION_DENIED,
          null,
          details);
    }
    if (result.exitCode() == EXIT_NOT_FOUND) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          where + ": command not found (exit 127): " + last,
          CutoverErrors.COMMAND_NOT_FOUND,
          null,
          details);
    }
    if (result.exitCode() == EXIT_NOT_EXECUTABLE) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          where + ": permission denied (exit 126): " + last,
          CutoverErrors.PERMISSION_DENIED,
          null,
          details);
    }
    return ApplicationFailure.newFailureWithCause(
        where
            + ": exit code "
            + result.exitCode()
            + (last.isEmpty() ? "" : "; last output: " + last),
        CutoverErrors.COMMAND_FAILED,
        null,
        details);
  }

  /**
   * Whether the script never got to give an answer: it timed out, its command is missing or may not
   * be run, or sudo refused. A check that fails this way says nothing about what it checks.
   */
  public static boolean couldNotRun(ShellResult result) {
    return result.timedOut()
        || result.exitCode() == EXIT_NOT_FOUND
        || result.exitCode() == EXIT_NOT_EXECUTABLE
        || sudoRefused(result);
  }

  /**
   * Whether the file system refused a write or a read: permissions, an immutable file, a read-only
   * mount.
   */
  public static boolean refusedByFileSystem(ShellResult result) {
    String out = result.outputTail();
    return out.contains("Permission denied")
        || out.contains("Operation not permitted")
        || out.contains("Read-only file system");
  }

  /**
   * The failure for something the host refused, which no retry changes: {@code message}, and, where
   * the step ran without sudo, that sudo is the way.
   */
  public static ApplicationFailure permissionDenied(
      String message, boolean sudo, ShellResult result) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        message + (sudo ? "" : "; set sudo on the step or the host"),
        CutoverErrors.PERMISSION_DENIED,
        null,
        result.asRunResult());
  }

  /**
   * Whether sudo refused to run the script because it would have to ask for a password (or, under
   * {@code requiretty}, for a terminal): cutover runs {@code sudo -n}, and no retry changes that.
   */
  public static boolean sudoRefused(ShellResult result) {
    String out = result.outputTail();
    return out.contains("sudo: a password is required")
        || out.contains("sudo: a terminal is required");
  }

  /**
   * Runs {@code work}, putting "step NAME: " before the message of a failure the host layer raised
   * (which names only the host), so status and the UI say which step it was. Type, retryability and
   * details are kept.
   */
  public static <T> T inStep(String step, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (ApplicationFailure f) {
      String message = f.getOriginalMessage();
      if (message == null || message.startsWith("step ")) {
        throw f;
      }
      Object[] details = new Object[0];
      if (f.getDetails() != null && f.getDetails().getSize() > 0) {
        details = new Object[] {f.getDetails().get(RunResult.class)};
      }
      ApplicationFailure named =
          f.isNonRetryable()
              ? ApplicationFailure.newNonRetryableFailureWithCause(
                  "step " + step + " on " + message, f.getType(), f.getCause(), details)
              : ApplicationFailure.newFailureWithCause(
                  "step " + step + " on " + message, f.getType(), f.getCause(), details);
      named.setStackTrace(f.getStackTrace());
      throw named;
    }
  }
}
