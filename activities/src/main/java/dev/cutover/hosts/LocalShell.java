package dev.cutover.hosts;

import dev.cutover.secrets.ActivitySecrets;
import dev.cutover.secrets.SecretMask;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scripts as processes on the worker's own machine: the {@code local} transport.
 *
 * <p>A script that runs for an activity attempt goes through the same wrapper as over SSH ({@link
 * WrappedScript}): in a process group and session of its own, under a lease, so that when the
 * worker dies (its children live on: nothing kills them with the JVM) the activity's retry stops it
 * first. The leases live in {@code ~/.cutover/run} of the worker's user (sudo scripts: root's, see
 * {@link LeaseScript}), not in {@code java.io.tmpdir}: a directory other users can write to would
 * let them choose which of the worker's processes a retry kills, and a home is also where the
 * leases of the same user's scripts over SSH live. Other scripts (CLI checks) run as plain children
 * of the worker.
 */
public final class LocalShell implements HostShell {
  /**
   * What a script gets from the worker's environment: enough to find programs, a home, a locale and
   * an ssh agent. Nothing else, so the worker's own credentials and other plans' secrets never
   * reach a command's output (and so the history).
   */
  public static final Set<String> BASE_ENV =
      Set.of(
          "PATH",
          "HOME",
          "USER",
          "LOGNAME",
          "LANG",
          "LC_ALL",
          "TZ",
          "SHELL",
          "TMPDIR",
          "SSH_AUTH_SOCK");

  private static final Logger log = LoggerFactory.getLogger(LocalShell.class);

  /** setsid on the worker's machine, or {@code null}: scripts then go through the wrapper. */
  private static final String SETSID =
      java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
          .filter(p -> new File(p).canExecute())
          .findFirst()
          .orElse(null);

  /** The variable a directly launched script travels in. */
  static final String DIRECT_SCRIPT_VAR = "__cutover_script";

  /** Well below Linux's 128 KiB for one variable; longer scripts go through the wrapper. */
  static final int DIRECT_SCRIPT_CHARS = 32 * 1024;

  /**
   * What setsid runs: reports its group as the wrapper's launcher does (the kill path and the lease
   * use it), waits for the worker's go (the lease is written), then runs the script. A worker that
   * died first closes stdin: exit 125, nothing run.
   */
  static final String DIRECT_LAUNCHER =
      "printf '\\036cutover-pgid %s\\n' \"$$\" >&2; read -r __cl_go || exit 125; "
          + "eval \"unset __cutover_script __cl_go; $__cutover_script\"";

  /** The kill script gives a group a second after TERM; this is that with room to spare. */
  private static final int GROUP_KILL_WAIT_SECONDS = 10;

  private final String hostName;
  private final Set<String> passEnv;
  private final String sudo;
  private final String leaseRoot;

  /**
   * @param passEnv further worker variables the operator lets through (cutover.run.pass-env)
   */
  public LocalShell(String hostName, Set<String> passEnv) {
    this(hostName, passEnv, "sudo", null);
  }

  /**
   * @param sudo the sudo program: tests pass a stand-in, as this sandbox has no sudo
   */
  LocalShell(String hostName, Set<String> passEnv, String sudo) {
    this(hostName, passEnv, sudo, null);
  }

  /**
   * @param leaseRoot where leases live instead of the user's home; for tests
   */
  LocalShell(String hostName, Set<String> passEnv, String sudo, String leaseRoot) {
    this.hostName = hostName;
    this.passEnv = Set.copyOf(passEnv);
    this.sudo = sudo;
    this.leaseRoot = leaseRoot;
  }

  @Override
  public String hostName() {
    return hostName;
  }

  @Override
  public ShellResult exec(ShellCommand command, ExecWatch watch) {
    boolean wrapped = command.attempt() != null;
    // A script for an attempt goes straight to setsid when the worker can keep its lease itself:
    // one process where the wrapper forks a dozen, which is most of what a short step costs.
    LocalLeases leases = wrapped ? directLeases(command) : null;
    boolean direct = leases != null;
    WrappedScript wrapper =
        wrapped && !direct ? WrappedScript.of(hostName, command, leaseRoot) : null;
    // sudo resets the environment: a plain script's variables then travel on stdin, never on a
    // command line.
    byte[] sudoExports =
        !wrapped && command.sudo() && !command.env().isEmpty() ? exports(command.env()) : null;
    List<String> argv =
        direct
            ? List.of(SETSID, "/bin/sh", "-c", DIRECT_LAUNCHER)
            : wrapped ? wrapper.argv(sudo) : plainArgv(command, sudoExports);
    byte[] stdin =
        direct
            ? command.stdin()
            : wrapped
                ? concat(wrapper.stdinPrefix(), command.stdin())
                : sudoExports != null ? concat(sudoExports, command.stdin()) : command.stdin();
    ProcessBuilder builder = new ProcessBuilder(argv);
    baseEnvironment(builder);
    if (!wrapped && !command.sudo()) {
      // The wrapper and sudo get the variables on stdin instead: the wrapper exports them after it
      // found the lease directory with the worker's own HOME and PATH, and sudo would drop them.
      builder.environment().putAll(command.env());
    }
    if (direct) {
      // The script too travels in the environment, which only its user and root can read, never on
      // a command line; the launcher unsets it before the script runs.
      WrappedScript.checkEnvNames(hostName, command.env());
      builder.environment().putAll(command.env());
      builder.environment().put(DIRECT_SCRIPT_VAR, command.script());
    }
    if (command.cwd() != null) {
      File dir = new File(command.cwd());
      if (!dir.isDirectory()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "host " + hostName + ": working directory " + command.cwd() + " does not exist",
            CutoverErrors.INVALID_CONFIG);
      }
      builder.directory(dir);
    }
    OutputTail tail = new OutputTail(TAIL_CHARS, command.mask());
    WrapperReport report = wrapped ? new WrapperReport(hostName, command, tail, watch) : null;
    StringBuilder stdout = new StringBuilder();
    boolean[] stdoutCut = new boolean[1];
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "host " + hostName + ": cannot start " + argv.get(0) + ": " + e.getMessage(),
          CutoverErrors.MISSING_TOOL);
    }
    java.util.concurrent.atomic.AtomicReference<java.nio.file.Path> lease =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread writer =
        direct
            ? feedAfterLease(process, stdin, leases, command.attempt(), lease)
            : feed(process, stdin);
    Thread out =
        pump(
            process.getInputStream(),
            "out",
            tail.secrets(),
            line -> {
              synchronized (stdout) {
                if (stdout.length() + line.length() < STDOUT_LIMIT) {
                  stdout.append(line).append('\n');
                } else {
                  stdoutCut[0] = true;
                }
              }
              watch.line(tail.add(line));
            });
    Thread err =
        pump(
            process.getErrorStream(),
            "err",
            tail.secrets(),
            line -> {
              if (report != null && report.take(line)) {
                return;
              }
              watch.line(tail.add(line));
            });
    long deadline = started + command.timeout().toNanos();
    boolean timedOut = false;
    try {
      while (!process.waitFor(
          Math.max(1, Math.min(BEAT_EVERY.toNanos(), deadline - System.nanoTime())),
          TimeUnit.NANOSECONDS)) {
        if (System.nanoTime() > deadline) {
          timedOut = true;
          kill(process, report, command.sudo());
          break;
        }
        watch.beat(elapsedMillis(started), tail.lastLine());
      }
      out.join(5000);
      err.join(5000);
      if (writer != null) {
        writer.join(1000);
      }
    } catch (RuntimeException e) {
      kill(process, report, command.sudo());
      throw e;
    } catch (InterruptedException e) {
      kill(process, report, command.sudo());
      throw Pause.interrupted("host " + hostName);
    } finally {
      if (direct && !process.isAlive()) {
        // The group's leader ended; a lease left by a worker that died is removed by the next scan.
        LocalLeases.release(lease.get());
      }
    }
    ApplicationFailure notStarted =
        report == null ? null : report.failure(System.getProperty("user.name"));
    if (notStarted != null) {
      throw notStarted;
    }
    String captured;
    synchronized (stdout) {
      captured = stdout.toString();
    }
    return new ShellResult(
        timedOut ? -1 : process.exitValue(),
        captured,
        tail.text(),
        tail.truncated() || stdoutCut[0],
        timedOut,
        elapsedMillis(started));
  }

  /**
   * The leases for a direct launch, or {@code null} when the script goes through the wrapper: sudo
   * (its pid is not the script's), no setsid here, a script too long for the environment, a working
   * directory the worker cannot enter (the wrapper names it), no lease directory (the wrapper
   * warns), or an earlier attempt's group still alive (the wrapper stops it first and says what it
   * stopped).
   */
  private LocalLeases directLeases(ShellCommand command) {
    if (command.sudo()
        || SETSID == null
        || command.script().length() > DIRECT_SCRIPT_CHARS
        || command.attempt().attempt() < 1
        || (command.cwd() != null && !new File(command.cwd()).canExecute())) {
      return null;
    }
    LocalLeases leases = LocalLeases.open(leaseRoot);
    return leases == null || leases.earlierAttemptAlive(command.attempt()) ? null : leases;
  }

  /**
   * Starts the script only once its lease is written: the launcher waits for a line on stdin, then
   * the command's own input follows. A worker that dies before that closes the pipe, and the
   * launcher exits without running the script, so no script ever runs without a lease.
   *
   * <p>The lease names the process the worker started: setsid makes it the leader of its own group
   * without forking (a child of the worker leads no group), so its pid is the group the launcher
   * reports, as waiting for that process already assumes. Written at once, the go does not wait for
   * the launcher's report to travel through the stderr reader first: on a busy machine each such
   * hand-off between threads costs a scheduling delay. The command's own input, which may fill the
   * pipe, still goes on a thread of its own.
   */
  private Thread feedAfterLease(
      Process process,
      byte[] stdin,
      LocalLeases leases,
      ActivityAttempt attempt,
      java.util.concurrent.atomic.AtomicReference<java.nio.file.Path> lease) {
    long group = process.pid();
    java.nio.file.Path recorded = leases.record(attempt, group);
    if (recorded == null) {
      log.warn(
          "local: host {}: no lease for process group {}: if the worker dies while it runs, a retry cannot stop it",
          hostName,
          group);
    }
    lease.set(recorded);
    OutputStream in = process.getOutputStream();
    try {
      in.write('\n');
      if (stdin == null) {
        in.close();
        return null;
      }
      in.flush();
    } catch (IOException e) {
      // the launcher is gone already; its exit code says what happened
      closeQuietly(in);
      return null;
    }
    Thread writer =
        new Thread(
            () -> {
              try (in) {
                in.write(stdin);
              } catch (IOException e) {
                // the script exited without reading all of its input; its exit code says what
                // happened
              }
            },
            "local-stdin");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  /**
   * A plain script's process: {@code /bin/sh -c SCRIPT}, through sudo when asked; with {@code
   * sudoExports}, the script first reads those lines from stdin.
   */
  private List<String> plainArgv(ShellCommand command, byte[] sudoExports) {
    List<String> argv = new ArrayList<>();
    String script = command.script();
    if (command.sudo()) {
      argv.addAll(List.of(sudo, "-n", "--"));
    }
    if (sudoExports != null) {
      script =
          "eval \"$(dd bs=1 count=" + sudoExports.length + " 2>/dev/null)\" || exit 125\n" + script;
    }
    argv.addAll(List.of("/bin/sh", "-c", script));
    return argv;
  }

  /** {@code export NAME='value'} lines the shell reads back exactly, whatever the values hold. */
  static byte[] exports(Map<String, String> env) {
    StringBuilder lines = new StringBuilder();
    env.forEach(
        (name, value) ->
            lines.append("export ").append(name).append('=').append(Sh.quote(value)).append('\n'));
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Gives the script its input, or end of file at once so commands that read stdin do not hang. */
  private static Thread feed(Process process, byte[] stdin) {
    if (stdin == null) {
      closeQuietly(process.getOutputStream());
      return null;
    }
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
              } catch (IOException e) {
                // the script exited without reading all of its input; its exit code says what
                // happened
              }
            },
            "local-stdin");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  /** A reader thread for one output stream; what was read stays when the process is killed. */
  static Thread pump(InputStream stream, String name, SecretMask mask, Consumer<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try {
                OutputLines.read(stream, mask, lines);
              } catch (IOException e) {
                // the process was killed; what was read is kept
              }
            },
            "shell-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The worker's variables a script may see; the rest of the worker's environment is removed. */
  private void baseEnvironment(ProcessBuilder builder) {
    builder
        .environment()
        .keySet()
        .removeIf(name -> !BASE_ENV.contains(name) && !passEnv.contains(name));
  }

  private static byte[] concat(byte[] first, byte[] second) {
    if (second == null) {
      return first;
    }
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  /**
   * Stops the script and everything it started. A wrapped script's group is killed as over SSH
   * (TERM, then KILL), which leaves the wrapper to remove the lease and exit; what is left after
   * that, and any plain script, dies with its process tree.
   */
  private void kill(Process process, WrapperReport report, boolean asRoot) {
    if (report != null) {
      long group = report.pgid();
      if (group <= 1 && process.isAlive()) {
        // The wrapper may still be stopping what an earlier attempt left: the script starts after
        // that.
        try {
          group = report.awaitPgid();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (group > 1 && killGroup(group, asRoot) && waitFor(process, GROUP_KILL_WAIT_SECONDS)) {
        return;
      }
    }
    kill(process);
  }

  /**
   * Runs the kill script for the group (through sudo for a script that runs as root); false if it
   * could not run.
   */
  private boolean killGroup(long group, boolean asRoot) {
    List<String> argv = new ArrayList<>();
    if (asRoot) {
      argv.addAll(List.of(sudo, "-n", "--"));
    }
    argv.addAll(List.of("/bin/sh", "-c", WrappedScript.killScript(group)));
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    baseEnvironment(builder);
    try {
      Process kill = builder.start();
      kill.getOutputStream().close();
      return waitFor(kill, GROUP_KILL_WAIT_SECONDS);
    } catch (IOException e) {
      log.warn(
          "local: host {}: could not stop the script's process group {}: {}",
          hostName,
          group,
          ActivitySecrets.mask(e.toString()));
      return false;
    }
  }

  private static boolean waitFor(Process process, int seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Kills the whole process tree, so a shell's children do not outlive a canceled step. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(OutputStream stream) {
    try {
      stream.close();
    } catch (IOException ignored) {
      // nothing to close
    }
  }

  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
