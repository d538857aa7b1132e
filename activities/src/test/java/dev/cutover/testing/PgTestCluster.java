package dev.cutover.testing;

import dev.cutover.plan.Host;
import dev.cutover.steps.postgres.PgAccess;
import dev.cutover.steps.postgres.PgEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, started from the Debian packages, in a temporary directory
 * that is removed again. Usage: {@code try (PgTestCluster pg = PgTestCluster.start("old")) {
 * pg.createDatabase("shop"); }} after {@link #requireInstalled()}.
 *
 * <p>The server listens on 127.0.0.1 only, on a free port, with {@code wal_level=logical} (so
 * replication tests work) and {@code fsync=off} (tests need speed, not durability). TCP connections
 * need a password (scram), as production servers do, so wrong-password cases are real; the unix
 * socket trusts everyone, which stands in for a plan's passwordless (peer) database. The socket
 * lives in the cluster's own directory and, when it exists, in {@code /var/run/postgresql}, where
 * Debian's psql looks by default, so a host-tools endpoint without a password reaches it.
 *
 * <p>Running as root (as in the dev container), initdb and postgres run as the OS user {@code
 * postgres} through {@code runuser}: PostgreSQL refuses to run as root. The server is stopped by
 * {@link #close()} and, should a test forget, by a JVM shutdown hook, so no postgres outlives the
 * test run.
 */
public final class PgTestCluster implements AutoCloseable {
  /** The superuser's name; its password is random per cluster. */
  public static final String SUPERUSER = "postgres";

  private static final Path POSTGRES_ROOT = Path.of("/usr/lib/postgresql");
  private static final Path DEBIAN_SOCKETS = Path.of("/var/run/postgresql");
  private static final String OS_USER = "postgres";
  private static final long START_TIMEOUT_MILLIS = 60_000;

  private final String label;
  private final Path dir;
  private final Path data;
  private final Path log;
  private final Path bin;
  private final int port;
  private final String password;
  private final Process server;
  private final Thread shutdownHook;
  private boolean closed;

  private PgTestCluster(
      String label, Path dir, Path bin, int port, String password, Process server) {
    this.label = label;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.log = dir.resolve("postgres.log");
    this.bin = bin;
    this.port = port;
    this.password = password;
    this.server = server;
    this.shutdownHook = new Thread(this::stopAndDelete, "pg-test-cluster-" + label);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Fails the test, in one line naming the packages, unless a PostgreSQL server can be started
   * here: the binaries exist and, as root, can run as the OS user postgres.
   */
  public static void requireInstalled() {
    Path bin = newestBinDir();
    String install = "apt-get install postgresql postgresql-contrib";
    if (bin == null) {
      throw RequiredTool.missing(
          "PostgreSQL is not installed (no " + POSTGRES_ROOT + "/N/bin)", install);
    }
    RequiredTool.require("PostgreSQL's initdb", install, bin.resolve("initdb"));
    RequiredTool.require("PostgreSQL's server", install, bin.resolve("postgres"));
    RequiredTool.require("psql", install, bin.resolve("psql"));
    if (isRoot()) {
      RequiredTool.require(
          "runuser (to run PostgreSQL as its own user)",
          "apt-get install util-linux",
          Path.of("/usr/sbin/runuser"),
          Path.of("/sbin/runuser"));
    }
  }

  /**
   * Creates and starts a cluster; returns once it accepts connections.
   *
   * @param label names the temporary directory and is the plan host name of {@link #endpoint}
   */
  public static PgTestCluster start(String label) {
    return start(label, List.of());
  }

  /**
   * Like {@link #start(String)}, with further server settings after the defaults, so they win: a
   * source with {@code wal_level=replica} shows what replication refuses.
   *
   * @param settings {@code name=value} each, as {@code postgres -c} takes them
   */
  public static PgTestCluster start(String label, List<String> settings) {
    requireInstalled();
    Path bin = newestBinDir();
    String password = randomPassword();
    Path dir;
    try {
      dir =
          Files.createTempDirectory("cutover-pg-" + label.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
      // The server's OS user must reach its files; the directory holds nothing secret but the
      // password file, which is removed right after initdb.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path pwfile = dir.resolve("pwfile");
      Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
      chownToServerUser(dir);
      run(
          dir,
          "initdb",
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-U",
              SUPERUSER,
              "--pwfile=" + pwfile,
              "--auth-host=scram-sha-256",
              "--auth-local=trust",
              "-E",
              "UTF8",
              "--no-locale",
              "--no-sync",
              "--no-instructions"));
      Files.delete(pwfile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a PostgreSQL cluster", e);
    }
    // A free port can be taken by someone else between probing and binding: try a few.
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      PgTestCluster cluster =
          new PgTestCluster(label, dir, bin, port, password, launch(dir, bin, port, settings));
      try {
        cluster.awaitReady();
        return cluster;
      } catch (IllegalStateException e) {
        last = e;
        cluster.stopServer();
        cluster.removeHook();
        if (!e.getMessage().contains("could not bind") && !e.getMessage().contains("in use")) {
          break;
        }
      }
    }
    TempTree.delete(dir);
    throw last;
  }

  /** The port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The password of {@link #SUPERUSER} over TCP. */
  public String superuserPassword() {
    return password;
  }

  /** The server's programs (initdb, postgres, pg_dump, psql of the same version). */
  public Path binDir() {
    return bin;
  }

  /** The directory of the cluster's own unix socket. */
  public Path socketDir() {
    return dir;
  }

  /** The label given to {@link #start}: the plan host name endpoints get. */
  public String label() {
    return label;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A new connection as the superuser; the caller closes it. */
  public Connection connect(String database) throws SQLException {
    return connect(database, SUPERUSER, password, "cutover-test");
  }

  /** A new connection as {@code user} with {@code applicationName}; the caller closes it. */
  public Connection connect(
      String database, String user, String userPassword, String applicationName)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (userPassword != null) {
      props.setProperty("password", userPassword);
    }
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(jdbcUrl(database), props);
  }

  /** Runs statements as the superuser, autocommit (so CREATE DATABASE and friends work). */
  public void sql(String database, String sql) {
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cluster " + label + ", database " + database + ": " + e.getMessage(), e);
    }
  }

  /** The rows of a query as the superuser, every value as text ({@code null} for NULL). */
  public List<List<String>> query(String database, String sql) {
    try (Connection c = connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>(columns);
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cluster " + label + ", database " + database + ": " + e.getMessage(), e);
    }
  }

  public void createDatabase(String name) {
    sql("postgres", "CREATE DATABASE " + ident(name));
  }

  /**
   * Creates a login role.
   *
   * @param rolePassword its password; {@code null} for none (it then logs in over the socket only)
   * @param attributes further attributes, such as {@code REPLICATION} or {@code SUPERUSER}; may be
   *     null
   */
  public void createRole(String name, String rolePassword, String attributes) {
    sql(
        "postgres",
        "CREATE ROLE "
            + ident(name)
            + " LOGIN"
            + (rolePassword != null ? " PASSWORD '" + rolePassword.replace("'", "''") + "'" : "")
            + (attributes != null && !attributes.isBlank() ? " " + attributes : ""));
  }

  /**
   * An endpoint for this cluster as a plan describes it: a local host named after the label,
   * reached at 127.0.0.1.
   *
   * @param passwordRef a secret reference ({@code env:X}) the test's SecretResolver resolves; null
   *     for none
   * @param access JDBC or HOST_TOOLS (psql on the local host)
   */
  public PgEndpoint endpoint(String database, String user, String passwordRef, PgAccess access) {
    return new PgEndpoint(
        label,
        Host.local("test cluster " + label),
        port,
        database,
        user,
        passwordRef,
        access,
        "127.0.0.1");
  }

  /** The last lines of the server's log, for assertion messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Stops the server at once (no checkpoint: the data is thrown away) and deletes its directory.
   */
  @Override
  public void close() {
    stopAndDelete();
    removeHook();
  }

  // --- starting ---------------------------------------------------------------------------------

  private static Process launch(Path dir, Path bin, int port, List<String> settings) {
    String sockets =
        Files.isDirectory(DEBIAN_SOCKETS) && Files.isWritable(DEBIAN_SOCKETS)
            ? dir + "," + DEBIAN_SOCKETS
            : dir.toString();
    List<String> argv =
        List.of(
            bin.resolve("postgres").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "port=" + port,
            "-c",
            "unix_socket_directories=" + sockets,
            "-c",
            "wal_level=logical",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=100",
            "-c",
            "max_wal_senders=20",
            "-c",
            "max_replication_slots=20",
            "-c",
            "max_logical_replication_workers=20",
            "-c",
            "max_worker_processes=40",
            "-c",
            "shared_buffers=32MB",
            "-c",
            "log_min_messages=warning");
    List<String> command = new ArrayList<>(argv);
    settings.forEach(setting -> command.addAll(List.of("-c", setting)));
    ProcessBuilder builder =
        new ProcessBuilder(asServerUser(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()));
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start postgres", e);
    }
  }

  /**
   * Waits until a real login over TCP works, which is what tests need; fails with the log if the
   * server died.
   */
  private void awaitReady() {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    SQLException lastError = null;
    while (System.currentTimeMillis() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException(
            "postgres for " + label + " exited with " + server.exitValue() + ":\n" + logTail());
      }
      try (Connection c = connect("postgres")) {
        return;
      } catch (SQLException e) {
        lastError = e; // starting up, or not listening yet
      }
      TempTree.pause(100, "postgres");
    }
    throw new IllegalStateException(
        "postgres for "
            + label
            + " did not accept connections within "
            + START_TIMEOUT_MILLIS / 1000
            + "s ("
            + (lastError == null ? "" : lastError.getMessage())
            + "):\n"
            + logTail());
  }

  // --- stopping ---------------------------------------------------------------------------------

  private synchronized void stopAndDelete() {
    if (closed) {
      return;
    }
    closed = true;
    stopServer();
    TempTree.delete(dir);
  }

  /**
   * Immediate shutdown: the data is disposable, and a smart shutdown would wait for leaked clients.
   */
  private void stopServer() {
    if (server.isAlive()) {
      try {
        run(
            dir,
            "pg_ctl stop",
            List.of(
                bin.resolve("pg_ctl").toString(),
                "stop",
                "-D",
                data.toString(),
                "-m",
                "immediate",
                "-w",
                "-t",
                "30"));
      } catch (RuntimeException e) {
        // fall through to killing the processes
      }
    }
    try {
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
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

  private static void run(Path dir, String what, List<String> argv) {
    Path out = dir.resolve(what.replace(' ', '-') + ".out");
    try {
      Process p =
          new ProcessBuilder(asServerUser(argv))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(what + " did not finish within 2 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            what + " failed with exit " + p.exitValue() + ":\n" + Files.readString(out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(what + " could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted", e);
    }
  }

  /** PostgreSQL will not run as root: as root, run it as the postgres OS user. */
  private static List<String> asServerUser(List<String> argv) {
    if (!isRoot()) {
      return argv;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--"));
    wrapped.addAll(argv);
    return wrapped;
  }

  private static void chownToServerUser(Path dir) throws IOException {
    if (!isRoot()) {
      return;
    }
    var owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        Files.setOwner(p, owner);
      }
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The newest installed major version's bin directory, or null. */
  private static Path newestBinDir() {
    if (!Files.isDirectory(POSTGRES_ROOT)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(POSTGRES_ROOT)) {
      return versions
          .filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .filter(p -> Files.isExecutable(p.resolve("bin/postgres")))
          .max(Comparator.comparingDouble(p -> Double.parseDouble(p.getFileName().toString())))
          .map(p -> p.resolve("bin"))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static String randomPassword() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
