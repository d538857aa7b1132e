package dev.cutover.hosts;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a {@link ShellCommand} travels to {@code /bin/sh}: over SSH always, on the worker's machine
 * when it runs for an activity attempt ({@link LocalShell}), so both behave the same.
 *
 * <p>The command line the host sees is fixed and holds no value from the command: {@code /bin/sh -c
 * 'eval "$(dd bs=1 count=N)"'} (through {@code sudo -n --} when the command asks for sudo). All the
 * rest comes on standard input, so no environment value (a resolved secret) is ever on a command
 * line another user could read with {@code ps}, and sshd's AcceptEnv does not matter:
 *
 * <ol>
 *   <li>the preamble, exactly N bytes read by {@code dd bs=1} (so not a byte of what follows is
 *       consumed): the lease part's first half (below), the working directory check, {@code export
 *       NAME='value'} lines, and a launcher;
 *   <li>the script, M bytes, read by the launched shell the same way;
 *   <li>the command's own stdin, which the script reads as usual (end of file at once when none).
 * </ol>
 *
 * <p>A command with no input of its own (most of them) needs no byte counts: the script is exported
 * in the preamble, which ends with {@link #END_OF_PREAMBLE}, and the command line is {@code /bin/sh
 * -c '__cl_in=$(cat) && ...'}, which runs the preamble only when it arrived whole.
 *
 * <p>The launcher starts the script under {@code setsid}, so it runs in a session and process group
 * of its own that holds nothing else (not sshd's, not the worker's), and reports that group on
 * stderr first ({@link #PGID_MARKER}). To stop the script and everything it started, the worker
 * kills that group from a second channel ({@link #killCommand}). The wrapper itself stays outside
 * the group and waits for the script.
 *
 * <p>A command that runs for an activity attempt also gets the lease part ({@link LeaseScript}):
 * before the script starts, the wrapper stops what earlier attempts of the activity left running on
 * the host; while it runs, it records the group; after it ended, however, it removes the record. A
 * worker that dies kills nothing, but the wrapper (and the record) outlive it for the next attempt.
 */
public final class WrappedScript {
  /**
   * Starts every line the wrapper writes for the worker: an ASCII record separator, never in
   * ordinary output.
   */
  public static final String MARKER = "\u001ecutover-";

  public static final String PGID_MARKER = MARKER + "pgid ";
  public static final String NO_CWD_MARKER = MARKER + "no-cwd";
  public static final String NO_SETSID_MARKER = MARKER + "no-setsid";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * The last line of a preamble read to end of file: a preamble cut short (the channel died while
   * it was sent) lacks it and runs nothing.
   */
  static final String END_OF_PREAMBLE = "# end of the cutover preamble";

  /**
   * The reader for a command without input of its own: everything on stdin is the preamble (with
   * the script in it), so one {@code cat} reads it, where {@code dd bs=1} makes two system calls a
   * byte so as to leave the command's input unread.
   */
  /** The script is exported to the launched shell: well below Linux's 128 KiB for one variable. */
  static final int NO_INPUT_SCRIPT_BYTES = 32 * 1024;

  static final String NO_INPUT_READER =
      "__cl_in=$(cat) && case $__cl_in in *'"
          + END_OF_PREAMBLE
          + "') eval \"$__cl_in\" ;; *) exit 125 ;; esac";

  /**
   * How long a launcher may take to report the script's group when it has nothing to stop first.
   */
  private static final Duration LAUNCH_WAIT = Duration.ofSeconds(5);

  private final String reader;
  private final boolean sudo;
  private final byte[] stdinPrefix;

  private WrappedScript(String reader, boolean sudo, byte[] stdinPrefix) {
    this.reader = reader;
    this.sudo = sudo;
    this.stdinPrefix = stdinPrefix;
  }

  /**
   * The command wrapped for a host, its leases (if it runs for an attempt) where {@link
   * LeaseScript} puts them.
   */
  public static WrappedScript of(String hostName, ShellCommand command) {
    return of(hostName, command, null);
  }

  /**
   * @param leaseRoot where the leases live instead, or {@code null}; for tests that keep them out
   *     of the user's home
   */
  static WrappedScript of(String hostName, ShellCommand command, String leaseRoot) {
    byte[] script = command.script().getBytes(StandardCharsets.UTF_8);
    StringBuilder preamble = new StringBuilder();
    preamble.append(
        "command -v setsid >/dev/null 2>&1 || { printf '\\036cutover-no-setsid\\n' >&2; exit 127; }\n");
    if (command.attempt() != null) {
      // Before cd and the command's variables: a plan's HOME or PATH must not move the leases.
      preamble.append(LeaseScript.prepare(command.attempt(), leaseRoot));
    }
    if (command.cwd() != null) {
      preamble
          .append("cd -- ")
          .append(Sh.quote(command.cwd()))
          .append(" 2>/dev/null || { printf '\\036cutover-no-cwd\\n' >&2; exit 1; }\n");
    }
    checkEnvNames(hostName, command.env());
    for (Map.Entry<String, String> e : new TreeMap<>(command.env()).entrySet()) {
      preamble
          .append("export ")
          .append(e.getKey())
          .append('=')
          .append(Sh.quote(e.getValue()))
          .append('\n');
    }
    boolean noInput = command.stdin() == null && script.length <= NO_INPUT_SCRIPT_BYTES;
    if (noInput) {
      // No input of its own: the script rides in the preamble, read whole with one cat.
      preamble.append("export __cutover_script=").append(Sh.quote(command.script())).append('\n');
    }
    // The launched shell prints its pid, which setsid made its session and group id, then reads
    // and runs the script; its stdin is the original one (a background job's would be /dev/null).
    String launched =
        "printf \"\\036cutover-pgid %s\\n\" \"$$\" >&2; "
            + (noInput
                ? ""
                : "__cutover_script=$(dd bs=1 count=" + script.length + " 2>/dev/null); ")
            + "eval \"unset __cutover_script; $__cutover_script\"";
    preamble
        .append("exec 3<&0\n")
        .append("setsid /bin/sh -c ")
        .append(Sh.quote(launched))
        .append(" sh 0<&3 3<&- &\n")
        .append("exec 3<&-\n");
    if (command.attempt() != null) {
      preamble.append(LeaseScript.record());
    }
    // 2>/dev/null: the shell's own "Terminated" notice when a stopped script's group is killed.
    preamble.append("wait \"$!\" 2>/dev/null\n");
    if (command.attempt() != null) {
      preamble.append(LeaseScript.release());
    }
    if (noInput) {
      preamble.append(END_OF_PREAMBLE).append('\n');
      return new WrappedScript(
          NO_INPUT_READER, command.sudo(), preamble.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] head = preamble.toString().getBytes(StandardCharsets.UTF_8);
    byte[] prefix = new byte[head.length + script.length];
    System.arraycopy(head, 0, prefix, 0, head.length);
    System.arraycopy(script, 0, prefix, head.length, script.length);
    return new WrappedScript(
        "eval \"$(dd bs=1 count=" + head.length + " 2>/dev/null)\"", command.sudo(), prefix);
  }

  /** Fails (non-retryable, bad config) on a variable name a shell cannot export. */
  static void checkEnvNames(String hostName, Map<String, String> env) {
    for (String name : new TreeMap<>(env).keySet()) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "host "
                + hostName
                + ": environment variable name '"
                + name
                + "' is not a valid shell name (letters, digits, underscore)",
            CutoverErrors.INVALID_CONFIG);
      }
    }
  }

  /** The command line of an SSH exec request: constant but for the preamble's length. */
  public String commandLine() {
    return (sudo ? "sudo -n -- " : "") + "/bin/sh -c " + Sh.quote(reader);
  }

  /** The same as a process's arguments, with {@code sudo} for the program that stands for sudo. */
  public List<String> argv(String sudoProgram) {
    List<String> argv = new ArrayList<>();
    if (sudo) {
      argv.addAll(List.of(sudoProgram, "-n", "--"));
    }
    argv.addAll(List.of("/bin/sh", "-c", reader));
    return argv;
  }

  /**
   * How long to wait for the launcher to report the script's group: a few seconds, plus the time
   * stopping what earlier attempts left may take first.
   */
  public static Duration launchWait(ShellCommand command) {
    return command.attempt() == null ? LAUNCH_WAIT : LAUNCH_WAIT.plus(LeaseScript.LONGEST_STOP);
  }

  /** Preamble and script, to send before the command's own stdin. */
  public byte[] stdinPrefix() {
    return stdinPrefix.clone();
  }

  /**
   * Stops the script's process group: TERM, up to a second for it to clean up, then KILL. {@code
   * pgid} must be the group the launcher reported; never 0 or 1 (which would mean "my own group"
   * and "every process I may signal"). Exits 0 when the group is already gone.
   */
  public static String killCommand(long pgid, boolean sudo) {
    return (sudo ? "sudo -n -- " : "") + "/bin/sh -c " + Sh.quote(killScript(pgid));
  }

  /** The script of {@link #killCommand}, for {@code /bin/sh -c}. */
  public static String killScript(long pgid) {
    if (pgid <= 1) {
      throw new IllegalArgumentException("not a script's process group: " + pgid);
    }
    String group = "-- -" + pgid;
    return "kill -s TERM "
        + group
        + " 2>/dev/null || exit 0; "
        + "i=0; while [ $i -lt 10 ] && kill -s 0 "
        + group
        + " 2>/dev/null; do sleep 0.1 2>/dev/null || { sleep 1; break; }; i=$((i+1)); done; "
        + "kill -s KILL "
        + group
        + " 2>/dev/null; exit 0";
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
