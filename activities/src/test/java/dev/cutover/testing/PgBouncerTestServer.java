package dev.cutover.testing;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PgBouncer (Debian's {@code /usr/sbin/pgbouncer}) for tests, in a temporary directory that
 * is removed again: {@code pgbouncer.ini} with the {@code [pgbouncer]} settings, which includes
 * {@code databases.ini} with the {@code [databases]} entries (as a plan's {@code config} may name
 * an included file), and {@code userlist.txt} with plain-text passwords. It listens on 127.0.0.1 on
 * a free port, pools in transaction mode, and has one admin user, {@link #ADMIN}.
 *
 * <p>PgBouncer refuses to run as root: as root (the dev container) it runs as the OS user {@code
 * postgres} through {@code runuser}, and its files belong to that user, as Debian's do. The process
 * is stopped by {@link #close()} and, should a test forget, by a JVM shutdown hook.
 */
public final class PgBouncerTestServer implements AutoCloseable {
  /** The admin user of the console (database {@code pgbouncer}). */
  public static final String ADMIN = "admin";

  private static final Path PGBOUNCER = Path.of("/usr/sbin/pgbouncer");
  private static final String OS_USER = "postgres";
  private static final long START_TIMEOUT_MILLIS = 30_000;

  private final Path dir;
  private final int port;
  private final String adminPassword;
  private final Process process;
  private final Thread shutdownHook;
  private boolean closed;

  private PgBouncerTestServer(Path dir, int port, String adminPassword, Process process) {
    this.dir = dir;
    this.port = port;
    this.adminPassword = adminPassword;
    this.process = process;
    this.shutdownHook = new Thread(this::stopAndDelete, "pgbouncer-test-server");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Fails the test, in one line saying what to install, unless pgbouncer is installed here. */
  public static Path requireInstalled() {
    return RequiredTool.require("PgBouncer", "apt-get install pgbouncer", PGBOUNCER);
  }

  /**
   * Starts PgBouncer; returns once it accepts connections.
   *
   * @param databases the {@code [databases]} lines, e.g. {@code shop = host=127.0.0.1 port=5433
   *     dbname=shop}
   * @param users user name to plain-text password, for {@code userlist.txt} (the admin is added)
   * @param settings further {@code [pgbouncer]} lines, after the defaults
   */
  public static PgBouncerTestServer start(
      List<String> databases, Map<String, String> users, List<String> settings) {
    Path binary = requireInstalled();
    String adminPassword = "admin-" + Long.toHexString(System.nanoTime());
    Path dir;
    try {
      dir = Files.createTempDirectory("cutover-pgbouncer-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(
          dir.resolve("databases.ini"),
          "; the entries the application connects to\n[databases]\n"
              + String.join("\n", databases)
              + "\n",
          StandardCharsets.UTF_8);
      StringBuilder userlist = new StringBuilder();
      userlist.append(quoted(ADMIN)).append(' ').append(quoted(adminPassword)).append('\n');
      users.forEach(
          (u, p) -> userlist.append(quoted(u)).append(' ').append(quoted(p)).append('\n'));
      Files.writeString(dir.resolve("userlist.txt"), userlist.toString(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(
          dir.resolve("userlist.txt"), PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a pgbouncer directory", e);
    }
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      writeIni(dir, port, settings);
      chownToServerUser(dir);
      PgBouncerTestServer server =
          new PgBouncerTestServer(dir, port, adminPassword, launch(binary, dir));
      try {
        server.awaitListening();
        return server;
      } catch (IllegalStateException e) {
        last = e;
        server.stopProcess();
        server.removeHook();
      }
    }
    TempTree.delete(dir);
    throw last;
  }

  public int port() {
    return port;
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** The file holding the {@code [databases]} entries, included by {@link #mainConfig()}. */
  public Path databasesFile() {
    return dir.resolve("databases.ini");
  }

  /** {@code pgbouncer.ini}. */
  public Path mainConfig() {
    return dir.resolve("pgbouncer.ini");
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The last lines of PgBouncer's log, for assertion messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stopAndDelete();
    removeHook();
  }

  private static void writeIni(Path dir, int port, List<String> settings) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "%include " + dir.resolve("databases.ini"),
                "",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir = " + dir,
                "auth_type = scram-sha-256",
                "auth_file = " + dir.resolve("userlist.txt"),
                "admin_users = " + ADMIN,
                "pool_mode = transaction",
                "logfile = " + dir.resolve("pgbouncer.log"),
                "pidfile = " + dir.resolve("pgbouncer.pid"),
                // pgjdbc sends it at start-up; PgBouncer refuses unknown start-up parameters.
                "ignore_startup_parameters = extra_float_digits"));
    lines.addAll(settings);
    try {
      Files.writeString(
          dir.resolve("pgbouncer.ini"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pgbouncer.ini", e);
    }
  }

  private static Process launch(Path binary, Path dir) {
    List<String> argv = new ArrayList<>();
    if (isRoot()) {
      argv.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    argv.addAll(List.of(binary.toString(), dir.resolve("pgbouncer.ini").toString()));
    try {
      return new ProcessBuilder(argv)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start pgbouncer", e);
    }
  }

  private void awaitListening() {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "pgbouncer exited with " + process.exitValue() + ":\n" + logTail() + "\n" + stdout());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException e) {
        TempTree.pause(50, "pgbouncer");
      }
    }
    throw new IllegalStateException("pgbouncer did not listen within 30s:\n" + logTail());
  }

  private String stdout() {
    try {
      return Files.readString(dir.resolve("stdout.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private synchronized void stopAndDelete() {
    if (closed) {
      return;
    }
    closed = true;
    stopProcess();
    TempTree.delete(dir);
  }

  /** SIGTERM is PgBouncer's immediate shutdown; runuser passes it on. */
  private void stopProcess() {
    try (Stream<ProcessHandle> children = process.descendants()) {
      List<ProcessHandle> all = children.toList();
      all.forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        all.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
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

  private static String quoted(String value) {
    return "\"" + value.replace("\"", "\"\"") + "\"";
  }

  private static void chownToServerUser(Path dir) {
    if (!isRoot()) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      var owner =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
      for (Path p : paths.toList()) {
        Files.setOwner(p, owner);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot give the pgbouncer directory to " + OS_USER, e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
