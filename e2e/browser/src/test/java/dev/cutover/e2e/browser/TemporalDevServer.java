package dev.cutover.e2e.browser;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code temporal server start-dev} (server and web UI 2.54) on free loopback ports, with
 * state in a temp dir: the UI under test is the one operators get, which the SDK's test server
 * lacks.
 */
final class TemporalDevServer implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(45);

  private final Process process;
  private final int grpcPort;
  private final int uiPort;
  private final Path log;
  private WorkflowServiceStubs stubs;

  private TemporalDevServer(Process process, int grpcPort, int uiPort, Path log) {
    this.process = process;
    this.grpcPort = grpcPort;
    this.uiPort = uiPort;
    this.log = log;
  }

  static TemporalDevServer start(Path cli, Path dir) throws IOException, InterruptedException {
    int grpc = freePort();
    int ui = freePort();
    Path log = dir.resolve("temporal.log");
    Process p =
        new ProcessBuilder(
                List.of(
                    cli.toString(),
                    "server",
                    "start-dev",
                    "--ip",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(grpc),
                    "--ui-port",
                    String.valueOf(ui),
                    "--http-port",
                    String.valueOf(freePort()),
                    "--metrics-port",
                    String.valueOf(freePort()),
                    "--db-filename",
                    dir.resolve("temporal.db").toString(),
                    "--log-level",
                    "warn",
                    // The UI fetches a news feed from the internet unless told not to: loopback
                    // only.
                    "--ui-disable-news-fetch",
                    "--search-attribute",
                    "CutoverPhase=Keyword",
                    "--search-attribute",
                    "CutoverWaitingFor=Keyword",
                    "--search-attribute",
                    "CutoverMigration=Keyword"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    TemporalDevServer server = new TemporalDevServer(p, grpc, ui, log);
    try {
      server.awaitReady();
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Ready when the frontend answers GetSystemInfo and the UI serves its settings. */
  private void awaitReady() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP);
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + grpcPort).build());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest settings =
        HttpRequest.newBuilder(URI.create(uiAddress() + "/api/v1/settings"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "temporal server start-dev exited: " + Files.readString(log));
      }
      try {
        stubs
            .blockingStub()
            .withDeadlineAfter(2, TimeUnit.SECONDS)
            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        if (http.send(settings, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (RuntimeException | IOException notYet) {
        // Still starting: the gRPC port or the UI does not answer yet.
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "temporal dev server not ready after " + STARTUP + ": " + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  WorkflowServiceStubs stubs() {
    return stubs;
  }

  String uiAddress() {
    return "http://127.0.0.1:" + uiPort;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    // A shim on PATH (pyenv) may have started the real binary as a child: stop the whole tree.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
