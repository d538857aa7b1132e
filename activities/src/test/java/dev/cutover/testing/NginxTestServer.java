package dev.cutover.testing;

import dev.cutover.hosts.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx master for tests, in a temporary prefix directory that is removed again. Usage:
 * {@code try (NginxTestServer nginx = NginxTestServer.start("old")) { nginx.enableSite("app",
 * "server { listen 127.0.0.1:" + port + "; return 200 old; }"); nginx.reload(); }}.
 *
 * <p>Everything nginx touches lives in the directory: {@code nginx.conf}, the pid file, the error
 * and access logs, the temp paths, and {@code sites-available}/{@code sites-enabled}, which stand
 * in for {@code /etc/nginx/sites-*}: {@code nginx.conf} includes {@code sites-enabled/*}. The
 * master runs with {@code daemon off}, held by this object, and answers on a control port on
 * 127.0.0.1 only; sites must listen on 127.0.0.1 too (use {@link #freePort()}). The access log
 * records the Host header and the TLS server name of every request, so tests can see what reached
 * nginx.
 *
 * <p>{@link #testCommand()} and {@link #reloadCommand()} are what a step's {@code testCommand} and
 * {@code reloadCommand} should be to act on this server instead of the system's nginx. The server
 * is stopped by {@link #close()} and, should a test forget, by a JVM shutdown hook.
 */
public final class NginxTestServer implements AutoCloseable {
  private static final List<Path> NGINX =
      List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"));
  private static final long START_TIMEOUT_MILLIS = 30_000;

  private final String label;
  private final Path dir;
  private final Path binary;
  private final int controlPort;
  private final Process master;
  private final Thread shutdownHook;
  private boolean closed;

  private NginxTestServer(String label, Path dir, Path binary, int controlPort, Process master) {
    this.label = label;
    this.dir = dir;
    this.binary = binary;
    this.controlPort = controlPort;
    this.master = master;
    this.shutdownHook = new Thread(this::stopAndDelete, "nginx-test-server-" + label);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Fails the test, in one line saying what to install, unless nginx is installed here. */
  public static Path requireInstalled() {
    return RequiredTool.require("nginx", "apt-get install nginx", NGINX.toArray(Path[]::new));
  }

  /** Starts a master with no sites; returns once it answers on its control port. */
  public static NginxTestServer start(String label) {
    Path binary = requireInstalled();
    Path dir;
    try {
      dir =
          Files.createTempDirectory(
              "cutover-nginx-" + label.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
      // Workers run as nobody when the master is root: they must reach the temp paths.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      for (String sub : List.of("logs", "temp", "sites-available", "sites-enabled", "tls")) {
        Files.createDirectories(dir.resolve(sub));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare an nginx directory", e);
    }
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int controlPort = freePort();
      writeConfig(dir, controlPort);
      NginxTestServer server =
          new NginxTestServer(label, dir, binary, controlPort, launch(dir, binary));
      try {
        server.awaitReady();
        return server;
      } catch (IllegalStateException e) {
        last = e;
        server.stopMaster();
        server.removeHook();
        if (!e.getMessage().contains("Address already in use")) {
          break;
        }
      }
    }
    TempTree.delete(dir);
    throw last;
  }

  /** The prefix directory. */
  public Path dir() {
    return dir;
  }

  /** Where sites are kept, like {@code /etc/nginx/sites-available}. */
  public Path sitesAvailable() {
    return dir.resolve("sites-available");
  }

  /** What nginx loads, like {@code /etc/nginx/sites-enabled}. */
  public Path sitesEnabled() {
    return dir.resolve("sites-enabled");
  }

  /** A directory for certificates and keys. */
  public Path tlsDir() {
    return dir.resolve("tls");
  }

  /**
   * The access log: one line per request, {@code host=<Host header> sni=<server name>
   * xff=<X-Forwarded-For> <request>}.
   */
  public Path accessLog() {
    return dir.resolve("logs/access.log");
  }

  public String accessLogText() {
    return read(accessLog());
  }

  /** The last lines of the error log, for assertion messages. */
  public String errorLogTail() {
    String text = read(dir.resolve("logs/error.log"));
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** {@code nginx -t} for this server, as a step's {@code testCommand}. */
  public String testCommand() {
    return base() + " -t";
  }

  /** {@code nginx -s reload} for this server, as a step's {@code reloadCommand}. */
  public String reloadCommand() {
    return base() + " -s reload";
  }

  /**
   * Writes {@code sites-available/NAME} and links it from {@code sites-enabled}; reload to load it.
   *
   * @return the site file
   */
  public Path enableSite(String name, String content) {
    Path site = sitesAvailable().resolve(name);
    Path link = sitesEnabled().resolve(name);
    try {
      Files.writeString(site, content, StandardCharsets.UTF_8);
      if (!Files.isSymbolicLink(link)) {
        Files.createSymbolicLink(link, site);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return site;
  }

  /**
   * Reloads the configuration and waits until the workers that run it answer: nginx's own reload
   * only signals the master, which starts new workers a moment later.
   */
  public void reload() {
    long before = reloadCount();
    run(List.of("/bin/sh", "-c", reloadCommand()));
    awaitReloads(before + 1);
  }

  /**
   * Waits until the master has finished {@code count} reloads (counted in the error log's notices
   * since it started), so a test can wait for a reload a step triggered.
   */
  public void awaitReloads(long count) {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (reloadCount() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "nginx " + label + " did not finish reload " + count + ":\n" + errorLogTail());
      }
      TempTree.pause(50, "nginx");
    }
    // The new workers are started; the old ones stop taking new connections.
    TempTree.pause(200, "nginx");
  }

  /** How many reloads the master has done since it started ({@code reconfiguring} notices). */
  public long reloadCount() {
    return read(dir.resolve("logs/error.log"))
        .lines()
        .filter(l -> l.contains("reconfiguring"))
        .count();
  }

  /** A port on 127.0.0.1 that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the master (fast shutdown) and deletes the directory. */
  @Override
  public void close() {
    stopAndDelete();
    removeHook();
  }

  // --- starting ---------------------------------------------------------------------------------

  private String base() {
    return Sh.quote(binary.toString())
        + " -p "
        + Sh.quote(dir + "/")
        + " -c "
        + Sh.quote(dir.resolve("nginx.conf").toString())
        + " -e "
        + Sh.quote(dir.resolve("logs/error.log").toString());
  }

  private static void writeConfig(Path dir, int controlPort) {
    String d = dir.toString();
    String conf =
        "# nginx for a cutover test\n"
            + "daemon off;\n"
            + "master_process on;\n"
            + "worker_processes 1;\n"
            + "pid "
            + d
            + "/nginx.pid;\n"
            + "error_log "
            + d
            + "/logs/error.log notice;\n"
            + "events { worker_connections 64; }\n"
            + "http {\n"
            + "  default_type text/plain;\n"
            + "  log_format cutover 'host=$host sni=$ssl_server_name xff=$http_x_forwarded_for proto=$http_x_forwarded_proto "
            + "real=$http_x_real_ip \"$request\" $status';\n"
            + "  access_log "
            + d
            + "/logs/access.log cutover;\n"
            + "  client_body_temp_path "
            + d
            + "/temp/client;\n"
            + "  proxy_temp_path "
            + d
            + "/temp/proxy;\n"
            + "  fastcgi_temp_path "
            + d
            + "/temp/fastcgi;\n"
            + "  uwsgi_temp_path "
            + d
            + "/temp/uwsgi;\n"
            + "  scgi_temp_path "
            + d
            + "/temp/scgi;\n"
            + "  server { listen 127.0.0.1:"
            + controlPort
            + "; location / { return 204; } }\n"
            + "  include "
            + d
            + "/sites-enabled/*;\n"
            + "}\n";
    try {
      Files.writeString(dir.resolve("nginx.conf"), conf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Process launch(Path dir, Path binary) {
    List<String> argv =
        List.of(
            binary.toString(),
            "-p",
            dir + "/",
            "-c",
            dir.resolve("nginx.conf").toString(),
            "-e",
            dir.resolve("logs/error.log").toString());
    try {
      return new ProcessBuilder(argv)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/master.out").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start nginx", e);
    }
  }

  private void awaitReady() {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (!master.isAlive()) {
        throw new IllegalStateException(
            "nginx "
                + label
                + " exited with "
                + master.exitValue()
                + ":\n"
                + read(dir.resolve("logs/master.out"))
                + errorLogTail());
      }
      if (Files.exists(dir.resolve("nginx.pid"))) {
        try (Socket socket = new Socket()) {
          socket.connect(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort), 1000);
          return;
        } catch (IOException e) {
          // not listening yet
        }
      }
      TempTree.pause(50, "nginx");
    }
    throw new IllegalStateException(
        "nginx "
            + label
            + " did not answer within "
            + START_TIMEOUT_MILLIS / 1000
            + "s:\n"
            + errorLogTail());
  }

  // --- stopping ---------------------------------------------------------------------------------

  private synchronized void stopAndDelete() {
    if (closed) {
      return;
    }
    closed = true;
    stopMaster();
    TempTree.delete(dir);
  }

  /** SIGTERM is nginx's fast shutdown: the master stops its workers and exits. */
  private void stopMaster() {
    try {
      master.destroy();
      if (!master.waitFor(10, TimeUnit.SECONDS)) {
        master.descendants().forEach(ProcessHandle::destroyForcibly);
        master.destroyForcibly();
        master.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs or has run
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  private void run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "nginx " + label + ": " + String.join(" ", argv) + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
