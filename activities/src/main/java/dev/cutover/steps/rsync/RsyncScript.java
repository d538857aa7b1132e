package dev.cutover.steps.rsync;

import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellFailures;
import java.util.List;

/**
 * The whole of an rsync step on the host that runs rsync, as one {@code /bin/sh} script, so the
 * step takes one session there instead of one for each part: the checks of that host's side (rsync
 * on the PATH, the source directory, the target directory made), a private work directory with the
 * known_hosts file rsync's ssh checks the other host against, rsync itself (its pid in the work
 * directory, so a cancellation can ask it to stop), and the work directory's removal. Pure: it
 * builds text, so its quoting and exit codes are checked in a unit test.
 *
 * <p>Exit codes: rsync's own, or {@link ShellFailures#EXIT_NOT_FOUND} (no rsync), {@link
 * #EXIT_NO_SOURCE}, {@link #EXIT_NO_TARGET} or {@link #EXIT_NO_WORK_DIR}, which rsync never uses.
 */
final class RsyncScript {
  /** The source directory is missing (or not a directory). */
  static final int EXIT_NO_SOURCE = 66;

  /** The target directory could not be made. */
  static final int EXIT_NO_TARGET = 67;

  /** The work directory could not be made or written. */
  static final int EXIT_NO_WORK_DIR = 68;

  /** rsync's pid, in the work directory. */
  static final String PID_FILE = "rsync.pid";

  static final String KNOWN_HOSTS_FILE = "known_hosts";

  static final String HAS_RSYNC =
      "command -v rsync >/dev/null 2>&1 || { echo \"rsync: not found\" >&2; exit "
          + ShellFailures.EXIT_NOT_FOUND
          + "; }";

  private RsyncScript() {}

  /**
   * @param sourcePath the source directory to check here, or {@code null} when another session
   *     checks it
   * @param targetPath the target directory to make here, or {@code null}
   * @param workDir the work directory's path (it must not exist)
   * @param knownHosts the known_hosts lines for rsync's ssh; empty for a copy on one machine
   * @param rsync rsync's command line, a shell script ({@link RsyncCommand#script})
   */
  static String of(
      String sourcePath, String targetPath, String workDir, List<String> knownHosts, String rsync) {
    StringBuilder s = new StringBuilder(HAS_RSYNC).append('\n');
    if (sourcePath != null) {
      String dir = Sh.quote(sourcePath);
      s.append("[ -d ")
          .append(dir)
          .append(" ] || { echo \"source directory is missing\" >&2; exit ")
          .append(EXIT_NO_SOURCE)
          .append("; }\n");
    }
    if (targetPath != null) {
      String dir = Sh.quote(targetPath);
      s.append("{ mkdir -p -- ")
          .append(dir)
          .append(" && [ -d ")
          .append(dir)
          .append(" ]; } || exit ")
          .append(EXIT_NO_TARGET)
          .append('\n');
    }
    s.append("__rs_d=")
        .append(Sh.quote(workDir))
        .append('\n')
        .append("( umask 077 && mkdir -- \"$__rs_d\" ) || { echo \"cannot create ")
        .append("the temporary directory $__rs_d\" >&2; exit ")
        .append(EXIT_NO_WORK_DIR)
        .append("; }\n")
        // Killed (the worker stopped the script's group, or the connection went): the directory
        // goes first; the worker removes it too when it never heard the script end.
        .append("trap 'rm -rf -- \"$__rs_d\"; exit 143' HUP TERM\n");
    if (!knownHosts.isEmpty()) {
      s.append("printf '%s\\n'");
      knownHosts.forEach(line -> s.append(' ').append(Sh.quote(line.strip())));
      s.append(" > \"$__rs_d/")
          .append(KNOWN_HOSTS_FILE)
          .append("\" || { rm -rf -- \"$__rs_d\"; exit ")
          .append(EXIT_NO_WORK_DIR)
          .append("; }\n");
    }
    // In the background so the script outlives it to clean up; its pid for a gentle stop.
    s.append(rsync)
        .append(" &\n")
        .append("echo \"$!\" > \"$__rs_d/")
        .append(PID_FILE)
        .append("\"\n")
        .append("wait \"$!\"\n")
        .append("__rs_rc=$?\n")
        .append("rm -rf -- \"$__rs_d\"\n")
        .append("exit \"$__rs_rc\"");
    return s.toString();
  }
}
