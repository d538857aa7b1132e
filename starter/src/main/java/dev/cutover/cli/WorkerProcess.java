package dev.cutover.cli;

import dev.cutover.cli.report.TerminalText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The cutover worker with its embedded Temporal server, as a child process. The CLI depends on the
 * workflow contract only (DESIGN.md), so it runs the worker's jar rather than linking its code.
 */
final class WorkerProcess implements AutoCloseable {
  /** The worker prints this once Spring has started it; see the worker's ReadyBanner. */
  static final String READY_MARKER = "cutover worker ready";

  /**
   * A cold JVM with Spring and the embedded server starts in a few seconds; leave room for a slow
   * disk.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final CountDownLatch ready = new CountDownLatch(1);
  final int port;

  private WorkerProcess(Process process, int port, Consumer<String> output) {
    this.process = process;
    this.port = port;
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.contains(READY_MARKER)) {
                    ready.countDown();
                  }
                  output.accept(line);
                }
              } catch (IOException ignored) {
                // the worker ended; its exit is noticed by waitReady or the caller
              }
            },
            "worker-output");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts the worker with an in-memory Temporal server on 127.0.0.1:port and waits until it polls.
   */
  static WorkerProcess startEmbedded(int port, Consumer<String> output) {
    Path jar = workerJar();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                javaCommand(),
                "-jar",
                jar.toString(),
                "--spring.profiles.active=embedded",
                "--cutover.embedded.port=" + port));
    builder.redirectErrorStream(true);
    builder.environment().remove("TEMPORAL_ADDRESS");
    return launch(builder, jar, port, output);
  }

  /**
   * Starts the worker against a Temporal server at address (namespace default) and waits until it
   * polls.
   */
  static WorkerProcess startConnected(String address, Consumer<String> output) {
    Path jar = workerJar();
    ProcessBuilder builder = new ProcessBuilder(List.of(javaCommand(), "-jar", jar.toString()));
    builder.redirectErrorStream(true);
    builder.environment().put("TEMPORAL_ADDRESS", address);
    builder.environment().put("TEMPORAL_NAMESPACE", "default");
    // The user's own profile (cloud: TLS, an API key) is not for the demo's server on loopback.
    builder.environment().put("SPRING_PROFILES_ACTIVE", "local");
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    return launch(builder, jar, port, output);
  }

  private static WorkerProcess launch(
      ProcessBuilder builder, Path jar, int port, Consumer<String> output) {
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new CliFailure(
          ExitCode.FAILED, "cannot start the worker (" + jar + "): " + e.getMessage());
    }
    WorkerProcess worker = new WorkerProcess(process, port, output);
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "worker-stop"));
    worker.waitReady();
    return worker;
  }

  private static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private void waitReady() {
    try {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!ready.await(200, TimeUnit.MILLISECONDS)) {
        if (!process.isAlive()) {
          throw new CliFailure(
              ExitCode.FAILED,
              "the worker exited with code "
                  + process.exitValue()
                  + " before it was ready (is port "
                  + port
                  + " free?)");
        }
        if (System.nanoTime() > deadline) {
          close();
          throw new CliFailure(
              ExitCode.FAILED,
              "the worker did not start within " + START_TIMEOUT.toSeconds() + "s");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new CliFailure(ExitCode.FAILED, "interrupted while starting the worker");
    }
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The worker jar: -Dcutover.worker.jar (set by the ./cutover launcher) or $CUTOVER_WORKER_JAR.
   */
  static Path workerJar() {
    String configured =
        System.getProperty("cutover.worker.jar", System.getenv("CUTOVER_WORKER_JAR"));
    if (configured == null || configured.isBlank()) {
      throw new CliFailure(
          ExitCode.FAILED,
          "cannot find the worker: run cutover through the ./cutover launcher, or set CUTOVER_WORKER_JAR");
    }
    Path jar = Path.of(configured);
    if (!Files.isRegularFile(jar)) {
      throw new CliFailure(
          ExitCode.FAILED,
          "the worker jar " + jar + " does not exist; build it with ./mvnw -DskipTests package");
    }
    return jar;
  }

  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The worker's log lines on the terminal: they quote hosts' output and errors, so they are
   * escaped.
   */
  static Consumer<String> printTo(PrintWriter out, String prefix) {
    return line -> {
      out.println(prefix + TerminalText.line(line));
      out.flush();
    };
  }
}
