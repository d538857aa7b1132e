package dev.cutover.hosts;

import dev.cutover.workflow.CutoverErrors;
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

/** Runs scripts as processes on the worker's own machine: the {@code local} transport. */
public final class LocalShell implements HostShell {
  /**
   * What a script gets from the worker's environment: enough to find programs, a home, a locale and
   * an ssh agent. Nothing else, so the worker's own credentials and other plans' secrets never reach
   * a command's output (and so the history).
   */
  public static final Set<String> BASE_ENV =
      Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "SHELL", "TMPDIR", "SSH_AUTH_SOCK");

  private final String hostName;
  private final Set<String> passEnv;
  private final String sudo;

  /** @param passEnv further worker variables the operator lets through (cutover.run.pass-env) */
  public LocalShell(String hostName, Set<String> passEnv) {
    this(hostName, passEnv, "sudo");
  }

  /** @param sudo the sudo program: tests pass a stand-in, as this sandbox has no sudo */
  LocalShell(String hostName, Set<String> passEnv, String sudo) {
    this.hostName = hostName;
    this.passEnv = Set.copyOf(passEnv);
    this.sudo = sudo;
  }

  @Override
  public String hostName() {
    return hostName;
  }

  @Override
  public ShellResult exec(ShellCommand command, ExecWatch watch) {
    List<String> argv = new ArrayList<>();
    String script = command.script();
    byte[] stdin = command.stdin();
    if (command.sudo()) {
      argv.addAll(List.of(sudo, "-n", "--"));
      if (!command.env().isEmpty()) {
        // sudo resets the environment: the variables travel on stdin, never on a command line.
        byte[] exports = exports(command.env());
        script = "eval \"$(dd bs=1 count=" + exports.length + " 2>/dev/null)\" || exit 125\n" + script;
        byte[] rest = stdin == null ? new byte[0] : stdin;
        stdin = new byte[exports.length + rest.length];
        System.arraycopy(exports, 0, stdin, 0, exports.length);
        System.arraycopy(rest, 0, stdin, exports.length, rest.length);
      }
    }
    argv.addAll(List.of("/bin/sh", "-c", script));
    ProcessBuilder builder = new ProcessBuilder(argv);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> !BASE_ENV.contains(name) && !passEnv.contains(name));
    if (!command.sudo()) {
      env.putAll(command.env());
    }
    if (command.cwd() != null) {
      File dir = new File(command.cwd());
      if (!dir.isDirectory()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "host " + hostName + ": working directory " + command.cwd() + " does not exist", CutoverErrors.INVALID_CONFIG);
      }
      builder.directory(dir);
    }
    OutputTail tail = new OutputTail(TAIL_CHARS, command.mask());
    StringBuilder stdout = new StringBuilder();
    boolean[] stdoutCut = new boolean[1];
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "host " + hostName + ": cannot start " + argv.get(0) + ": " + e.getMessage(), CutoverErrors.MISSING_TOOL);
    }
    Thread writer = feed(process, stdin);
    Thread out = pump(process.getInputStream(), "out", line -> {
      synchronized (stdout) {
        if (stdout.length() + line.length() < STDOUT_LIMIT) {
          stdout.append(line).append('\n');
        } else {
          stdoutCut[0] = true;
        }
      }
      tail.add(line);
      watch.line(tail.lastLine());
    });
    Thread err = pump(process.getErrorStream(), "err", line -> {
      tail.add(line);
      watch.line(tail.lastLine());
    });
    long deadline = started + command.timeout().toNanos();
    boolean timedOut = false;
    try {
      while (!process.waitFor(Math.max(1, Math.min(BEAT_EVERY.toNanos(), deadline - System.nanoTime())), TimeUnit.NANOSECONDS)) {
        if (System.nanoTime() > deadline) {
          timedOut = true;
          kill(process);
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
      kill(process);
      throw e;
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("host " + hostName + ": worker interrupted", "Interrupted");
    }
    String captured;
    synchronized (stdout) {
      captured = stdout.toString();
    }
    return new ShellResult(timedOut ? -1 : process.exitValue(), captured, tail.text(), tail.truncated() || stdoutCut[0], timedOut, elapsedMillis(started));
  }

  /** {@code export NAME='value'} lines the shell reads back exactly, whatever the values hold. */
  static byte[] exports(Map<String, String> env) {
    StringBuilder lines = new StringBuilder();
    env.forEach((name, value) -> lines.append("export ").append(name).append('=').append(Sh.quote(value)).append('\n'));
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Gives the script its input, or end of file at once so commands that read stdin do not hang. */
  private static Thread feed(Process process, byte[] stdin) {
    if (stdin == null) {
      closeQuietly(process.getOutputStream());
      return null;
    }
    Thread writer = new Thread(() -> {
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin);
      } catch (IOException e) {
        // the script exited without reading all of its input; its exit code says what happened
      }
    }, "local-stdin");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  /** A reader thread for one output stream; what was read stays when the process is killed. */
  static Thread pump(InputStream stream, String name, Consumer<String> lines) {
    Thread t = new Thread(() -> {
      try {
        OutputLines.read(stream, lines);
      } catch (IOException e) {
        // the process was killed; what was read is kept
      }
    }, "shell-" + name);
    t.setDaemon(true);
    t.start();
    return t;
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
