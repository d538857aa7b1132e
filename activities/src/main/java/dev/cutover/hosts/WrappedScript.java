package dev.cutover.hosts;

import dev.cutover.workflow.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a {@link ShellCommand} travels over SSH so that it behaves as it does locally.
 *
 * <p>The command line the host sees is fixed and holds no value from the command: {@code /bin/sh -c
 * 'eval "$(dd bs=1 count=N)"'} (through {@code sudo -n --} when the command asks for sudo). All
 * the rest comes on standard input, so no environment value (a resolved secret) is ever on a
 * command line another user could read with {@code ps}, and sshd's AcceptEnv does not matter:
 *
 * <ol>
 *   <li>the preamble, exactly N bytes read by {@code dd bs=1} (so not a byte of what follows is
 *       consumed): the working directory check, {@code export NAME='value'} lines, and a launcher;
 *   <li>the script, M bytes, read by the launched shell the same way;
 *   <li>the command's own stdin, which the script reads as usual (end of file at once when none).
 * </ol>
 *
 * <p>The launcher starts the script under {@code setsid}, so it runs in a session and process group
 * of its own that holds nothing else (not sshd's, not the test JVM's), and reports that group on
 * stderr first ({@link #PGID_MARKER}). To stop the script and everything it started, the worker
 * kills that group from a second channel ({@link #killCommand}).
 */
public final class WrappedScript {
  /** Starts every line the wrapper writes for the worker: an ASCII record separator, never in ordinary output. */
  public static final String MARKER = "\u001ecutover-";
  public static final String PGID_MARKER = MARKER + "pgid ";
  public static final String NO_CWD_MARKER = MARKER + "no-cwd";
  public static final String NO_SETSID_MARKER = MARKER + "no-setsid";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String commandLine;
  private final byte[] stdinPrefix;

  private WrappedScript(String commandLine, byte[] stdinPrefix) {
    this.commandLine = commandLine;
    this.stdinPrefix = stdinPrefix;
  }

  public static WrappedScript of(String hostName, ShellCommand command) {
    byte[] script = command.script().getBytes(StandardCharsets.UTF_8);
    StringBuilder preamble = new StringBuilder();
    preamble.append("command -v setsid >/dev/null 2>&1 || { printf '\\036cutover-no-setsid\\n' >&2; exit 127; }\n");
    if (command.cwd() != null) {
      preamble.append("cd -- ").append(Sh.quote(command.cwd()))
          .append(" 2>/dev/null || { printf '\\036cutover-no-cwd\\n' >&2; exit 1; }\n");
    }
    for (Map.Entry<String, String> e : new TreeMap<>(command.env()).entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw ApplicationFailure.newNonRetryableFailure("host " + hostName + ": environment variable name '" + e.getKey()
            + "' is not a valid shell name (letters, digits, underscore)", CutoverErrors.INVALID_CONFIG);
      }
      preamble.append("export ").append(e.getKey()).append('=').append(Sh.quote(e.getValue())).append('\n');
    }
    // The launched shell prints its pid, which setsid made its session and group id, then reads
    // and runs the script; its stdin is the original one (a background job's would be /dev/null).
    String launched = "printf \"\\036cutover-pgid %s\\n\" \"$$\" >&2; "
        + "__cutover_script=$(dd bs=1 count=" + script.length + " 2>/dev/null); "
        + "eval \"unset __cutover_script; $__cutover_script\"";
    preamble.append("exec 3<&0\n")
        .append("setsid /bin/sh -c ").append(Sh.quote(launched)).append(" sh 0<&3 3<&- &\n")
        .append("exec 3<&-\n")
        // 2>/dev/null: the shell's own "Terminated" notice when a stopped script's group is killed.
        .append("wait \"$!\" 2>/dev/null\n");
    byte[] head = preamble.toString().getBytes(StandardCharsets.UTF_8);
    String line = "/bin/sh -c " + Sh.quote("eval \"$(dd bs=1 count=" + head.length + " 2>/dev/null)\"");
    if (command.sudo()) {
      line = "sudo -n -- " + line;
    }
    byte[] prefix = new byte[head.length + script.length];
    System.arraycopy(head, 0, prefix, 0, head.length);
    System.arraycopy(script, 0, prefix, head.length, script.length);
    return new WrappedScript(line, prefix);
  }

  /** The command line of the exec request: constant but for the preamble's length. */
  public String commandLine() {
    return commandLine;
  }

  /** Preamble and script, to send before the command's own stdin. */
  public byte[] stdinPrefix() {
    return stdinPrefix.clone();
  }

  /**
   * Stops the script's process group: TERM, up to a second for it to clean up, then KILL.
   * {@code pgid} must be the group the launcher reported; never 0 or 1 (which would mean "my own
   * group" and "every process I may signal"). Exits 0 when the group is already gone.
   */
  public static String killCommand(long pgid, boolean sudo) {
    if (pgid <= 1) {
      throw new IllegalArgumentException("not a script's process group: " + pgid);
    }
    String group = "-- -" + pgid;
    String kill = "kill -s TERM " + group + " 2>/dev/null || exit 0; "
        + "i=0; while [ $i -lt 10 ] && kill -s 0 " + group + " 2>/dev/null; do sleep 0.1 2>/dev/null || { sleep 1; break; }; i=$((i+1)); done; "
        + "kill -s KILL " + group + " 2>/dev/null; exit 0";
    return (sudo ? "sudo -n -- " : "") + "/bin/sh -c " + Sh.quote(kill);
  }

  /** The group id from a marker line, or -1 when the line is not one (or names no usable group). */
  public static long parsePgid(String line) {
    if (!line.startsWith(PGID_MARKER)) {
      return -1;
    }
    try {
      long pgid = Long.parseLong(line.substring(PGID_MARKER.length()).trim());
      return pgid > 1 ? pgid : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
