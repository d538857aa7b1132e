package dev.cutover.steps.run;

import dev.cutover.plan.Transport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.workflow.CutoverErrors;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code run} steps as real processes. The {@code local} transport runs {@code sh -c COMMAND}
 * on the worker's machine; {@code ssh} arrives with the SSH issue.
 */
public class RunActivitiesImpl implements RunActivities {
  private static final Logger log = LoggerFactory.getLogger(RunActivitiesImpl.class);

  /** How much output a step keeps for status and history. */
  static final int TAIL_CHARS = 4000;
  /** How often a running command reports that it lives, with its last output line. */
  static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(2);
  /** Exit code of sh when the command does not exist. */
  static final int EXIT_NOT_FOUND = 127;
  static final int EXIT_NOT_EXECUTABLE = 126;

  /**
   * What a command gets from the worker's environment: enough to find programs, a home, a locale
   * and an ssh agent. Nothing else, so the worker's own credentials and other plans' secrets never
   * reach a command's output (and so the history).
   */
  static final java.util.Set<String> BASE_ENV =
      java.util.Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "SHELL", "TMPDIR", "SSH_AUTH_SOCK");

  private final SecretResolver secrets;
  private final java.util.Set<String> passEnv;

  public RunActivitiesImpl(SecretResolver secrets) {
    this(secrets, java.util.Set.of());
  }

  /** @param passEnv further worker variables the operator lets through (cutover.run.pass-env) */
  public RunActivitiesImpl(SecretResolver secrets, java.util.Set<String> passEnv) {
    this.secrets = secrets;
    this.passEnv = java.util.Set.copyOf(passEnv);
  }

  @Override
  public RunResult run(RunRequest request) {
    Transport transport = request.host() == null ? Transport.LOCAL : request.host().transportOrDefault();
    if (transport != Transport.LOCAL) {
      throw ApplicationFailure.newNonRetryableFailure(
          "host " + request.hostName() + ": transport " + transport.name().toLowerCase() + " is not available in this worker",
          CutoverErrors.TRANSPORT_UNAVAILABLE);
    }
    ActivityExecutionContext context = Activity.getExecutionContext();
    return runLocal(request, context::heartbeat);
  }

  /** Runs the command; {@code heartbeat} throws when Temporal asks to cancel, which kills the process. */
  RunResult runLocal(RunRequest request, Heartbeat heartbeat) {
    List<String> secretValues = new ArrayList<>();
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", request.command());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> !BASE_ENV.contains(name) && !passEnv.contains(name));
    env.putAll(request.env());
    request.secretEnv().forEach((name, ref) -> {
      String value = secrets.resolve(ref);
      secretValues.add(value);
      env.put(name, value);
    });
    if (request.cwd() != null) {
      File dir = new File(request.cwd());
      if (!dir.isDirectory()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "step " + request.step() + " on host " + request.hostName() + ": working directory " + request.cwd() + " does not exist",
            CutoverErrors.INVALID_CONFIG);
      }
      builder.directory(dir);
    }
    OutputTail tail = new OutputTail(TAIL_CHARS, secretValues);
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + request.step() + " on host " + request.hostName() + ": cannot start /bin/sh: " + e.getMessage(), CutoverErrors.MISSING_TOOL);
    }
    closeQuietly(process);
    Thread reader = new Thread(() -> pump(process, tail), "run-output-" + request.step());
    reader.setDaemon(true);
    reader.start();
    Duration timeout = request.timeout() == null ? Duration.ofMinutes(10) : request.timeout();
    long deadline = started + timeout.toNanos();
    try {
      while (!process.waitFor(Math.max(1, Math.min(HEARTBEAT_EVERY.toNanos(), deadline - System.nanoTime())), TimeUnit.NANOSECONDS)) {
        if (System.nanoTime() > deadline) {
          kill(process);
          reader.join(2000);
          throw ApplicationFailure.newFailureWithCause(
              "step " + request.step() + " on host " + request.hostName() + ": timed out after " + timeout.toSeconds() + "s; last output: " + tail.lastLine(),
              CutoverErrors.COMMAND_TIMED_OUT, null,
              new RunResult(-1, tail.text(), elapsedMillis(started), tail.truncated()));
        }
        heartbeat.beat(new RunProgress(elapsedMillis(started), tail.lastLine()));
      }
      reader.join(5000);
    } catch (RuntimeException e) {
      // Cancellation arrives as an exception from the heartbeat: never leave the command running.
      log.info("step {}: stopping the process ({})", request.step(), e.getClass().getSimpleName());
      kill(process);
      throw e;
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("step " + request.step() + ": worker interrupted", "Interrupted");
    }
    int code = process.exitValue();
    RunResult result = new RunResult(code, tail.text(), elapsedMillis(started), tail.truncated());
    if (code == 0) {
      return result;
    }
    String where = "step " + request.step() + " on host " + request.hostName();
    if (code == EXIT_NOT_FOUND) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          where + ": command not found (exit 127): " + tail.lastLine(), CutoverErrors.COMMAND_NOT_FOUND, null, result);
    }
    if (code == EXIT_NOT_EXECUTABLE) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          where + ": permission denied (exit 126): " + tail.lastLine(), CutoverErrors.PERMISSION_DENIED, null, result);
    }
    throw ApplicationFailure.newFailureWithCause(
        where + ": exit code " + code + (tail.lastLine().isEmpty() ? "" : "; last output: " + tail.lastLine()),
        CutoverErrors.COMMAND_FAILED, null, result);
  }

  /**
   * Reads output in fixed chunks and cuts lines at {@code TAIL_CHARS}: a command that streams binary
   * data without newlines must not grow one line until the worker runs out of memory.
   */
  private static void pump(Process process, OutputTail tail) {
    try (InputStreamReader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
      char[] buffer = new char[8192];
      StringBuilder line = new StringBuilder();
      int n;
      while ((n = in.read(buffer)) != -1) {
        for (int i = 0; i < n; i++) {
          char c = buffer[i];
          if (c == '\n') {
            tail.add(line.toString());
            line.setLength(0);
          } else if (c != '\r') {
            line.append(c);
            if (line.length() > TAIL_CHARS) {
              line.delete(0, line.length() - TAIL_CHARS);
            }
          }
        }
      }
      if (line.length() > 0) {
        tail.add(line.toString());
      }
    } catch (IOException e) {
      // the process was killed; the tail keeps what it read
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

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // stdin is closed so commands that read it see end of file instead of hanging
    }
  }

  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Reports liveness; throws when the activity is canceled. Lets tests run commands outside Temporal. */
  @FunctionalInterface
  interface Heartbeat {
    void beat(RunProgress progress);
  }
}
