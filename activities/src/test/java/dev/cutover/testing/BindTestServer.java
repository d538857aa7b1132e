package dev.cutover.testing;

import dev.cutover.plan.DnsProvider;
import dev.cutover.steps.dns.DnsTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Real BIND 9 {@code named} for tests: a primary for {@link #ZONE} that takes dynamic updates
 * signed with {@link #UPDATE_KEY}, and optionally a secondary that transfers the zone from it and
 * is told of changes by NOTIFY. Both listen on 127.0.0.1 only, on free ports, in the foreground,
 * each with its own configuration, pid and session-key files and working directory under one
 * temporary directory, removed by {@link #close()}.
 *
 * <p>Two keys exist: {@link #UPDATE_KEY}, which the zone's update-policy lets change any name in
 * the zone, and {@link #OTHER_KEY}, which the server knows but lets change nothing. Secrets are
 * random per server (hmac-sha256, base64). Usage: {@code try (BindTestServer dns =
 * BindTestServer.start(List.of("www 300 IN A 192.0.2.10"), true)) { ... }}.
 */
public final class BindTestServer implements AutoCloseable {
  public static final String ZONE = "cutover.test";
  public static final String UPDATE_KEY = "cutover-update";
  public static final String OTHER_KEY = "cutover-other";
  public static final String ALGORITHM = "hmac-sha256";
  private static final Path NAMED = Path.of("/usr/sbin/named");
  private static final long START_TIMEOUT_MILLIS = 30_000;

  private final Path dir;
  private final String updateSecret;
  private final String otherSecret;
  private final Instance primary;
  private final Instance secondary;
  private final Thread shutdownHook;
  private boolean closed;

  private BindTestServer(
      Path dir, String updateSecret, String otherSecret, Instance primary, Instance secondary) {
    this.dir = dir;
    this.updateSecret = updateSecret;
    this.otherSecret = otherSecret;
    this.primary = primary;
    this.secondary = secondary;
    this.shutdownHook = new Thread(this::stopAndDelete, "bind-test-server");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts the servers and returns once each answers the zone's SOA authoritatively.
   *
   * @param records zone file lines relative to the zone, like {@code www 300 IN A 192.0.2.10}
   * @param withSecondary whether to start a secondary too
   */
  public static BindTestServer start(List<String> records, boolean withSecondary) {
    RequiredTool.require("BIND's named", "apt-get install bind9", NAMED);
    Path dir;
    try {
      dir = Files.createTempDirectory("cutover-bind-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for named", e);
    }
    String updateSecret = randomSecret();
    String otherSecret = randomSecret();
    int primaryPort = freePort();
    int secondaryPort = withSecondary ? freePort() : -1;
    Instance primary = null;
    Instance secondary = null;
    try {
      primary =
          Instance.launch(
              dir.resolve("primary"),
              primaryPort,
              keys(updateSecret, otherSecret)
                  + "zone \""
                  + ZONE
                  + "\" {\n  type primary;\n  file \""
                  + ZONE
                  + ".zone\";\n"
                  + "  update-policy { grant "
                  + UPDATE_KEY
                  + " zonesub ANY; };\n"
                  + (withSecondary
                      ? "  notify explicit;\n  also-notify { 127.0.0.1 port "
                          + secondaryPort
                          + "; };\n"
                      : "  notify no;\n")
                  + "};\n",
              zoneFile(records));
      if (withSecondary) {
        secondary =
            Instance.launch(
                dir.resolve("secondary"),
                secondaryPort,
                keys(updateSecret, otherSecret)
                    + "zone \""
                    + ZONE
                    + "\" {\n  type secondary;\n  file \""
                    + ZONE
                    + ".zone\";\n"
                    + "  primaries { 127.0.0.1 port "
                    + primaryPort
                    + "; };\n};\n",
                null);
      }
      BindTestServer server =
          new BindTestServer(dir, updateSecret, otherSecret, primary, secondary);
      primary.awaitSoa();
      if (secondary != null) {
        secondary.awaitSoa();
      }
      return server;
    } catch (RuntimeException e) {
      if (primary != null) {
        primary.stop();
      }
      if (secondary != null) {
        secondary.stop();
      }
      TempTree.delete(dir);
      throw e;
    }
  }

  /** The primary as a plan names it: {@code 127.0.0.1:PORT}. */
  public String primary() {
    return primary.address();
  }

  /** The secondary as a plan names it; fails when there is none. */
  public String secondary() {
    if (secondary == null) {
      throw new IllegalStateException("this BindTestServer has no secondary");
    }
    return secondary.address();
  }

  /** Every server, the primary first. */
  public List<String> servers() {
    return secondary == null ? List.of(primary()) : List.of(primary(), secondary());
  }

  /** The base64 secret of {@link #UPDATE_KEY}. */
  public String updateSecret() {
    return updateSecret;
  }

  /** The base64 secret of {@link #OTHER_KEY}. */
  public String otherSecret() {
    return otherSecret;
  }

  /**
   * An rfc2136 target for {@link #ZONE} on every server, signing with {@code keyName} whose secret
   * is at {@code secretRef}.
   */
  public DnsTarget target(String keyName, String secretRef) {
    return new DnsTarget(
        "bind", DnsProvider.RFC2136, ZONE, servers(), keyName, ALGORITHM, secretRef, List.of());
  }

  /** Stops the secondary (as a server that went down); the primary keeps running. */
  public void stopSecondary() {
    if (secondary != null) {
      secondary.stop();
    }
  }

  /** The SOA serial the primary answers, to see whether an update changed the zone. */
  public long primarySerial() {
    return primary.serial();
  }

  /** The last lines of each server's log, for assertion messages. */
  public String logTail() {
    return primary.logTail() + (secondary == null ? "" : "\n--- secondary\n" + secondary.logTail());
  }

  @Override
  public void close() {
    stopAndDelete();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs or has run
    }
  }

  private synchronized void stopAndDelete() {
    if (closed) {
      return;
    }
    closed = true;
    primary.stop();
    if (secondary != null) {
      secondary.stop();
    }
    TempTree.delete(dir);
  }

  private static String keys(String updateSecret, String otherSecret) {
    return "key \""
        + UPDATE_KEY
        + "\" { algorithm "
        + ALGORITHM
        + "; secret \""
        + updateSecret
        + "\"; };\n"
        + "key \""
        + OTHER_KEY
        + "\" { algorithm "
        + ALGORITHM
        + "; secret \""
        + otherSecret
        + "\"; };\n";
  }

  private static String zoneFile(List<String> records) {
    StringBuilder zone =
        new StringBuilder(
            "$ORIGIN "
                + ZONE
                + ".\n$TTL 300\n"
                + "@ IN SOA ns1 hostmaster 1 3600 600 86400 60\n"
                + "@ IN NS ns1\nns1 IN A 127.0.0.1\n");
    records.forEach(r -> zone.append(r).append('\n'));
    return zone.toString();
  }

  /** One named process with its own directory. */
  private static final class Instance {
    private final Path dir;
    private final int port;
    private final Process process;

    private Instance(Path dir, int port, Process process) {
      this.dir = dir;
      this.port = port;
      this.process = process;
    }

    static Instance launch(Path dir, int port, String zones, String zoneFile) {
      try {
        Files.createDirectories(dir);
        if (zoneFile != null) {
          Files.writeString(dir.resolve(ZONE + ".zone"), zoneFile, StandardCharsets.UTF_8);
        }
        String conf =
            "options {\n"
                + "  directory \""
                + dir
                + "\";\n"
                + "  pid-file \""
                + dir.resolve("named.pid")
                + "\";\n"
                + "  session-keyfile \""
                + dir.resolve("session.key")
                + "\";\n"
                + "  managed-keys-directory \""
                + dir
                + "\";\n"
                + "  listen-on port "
                + port
                + " { 127.0.0.1; };\n"
                + "  listen-on-v6 { none; };\n"
                + "  recursion no;\n"
                + "  dnssec-validation no;\n"
                + "  allow-transfer { 127.0.0.1; };\n"
                + "  notify-source 127.0.0.1;\n"
                + "  transfer-source 127.0.0.1;\n"
                + "};\n"
                + "controls { };\n"
                + zones;
        Path confFile = dir.resolve("named.conf");
        Files.writeString(confFile, conf, StandardCharsets.UTF_8);
        Process process =
            new ProcessBuilder(
                    List.of(NAMED.toString(), "-g", "-n", "1", "-c", confFile.toString()))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("named.log").toFile()))
                .start();
        return new Instance(dir, port, process);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start named in " + dir, e);
      }
    }

    String address() {
      return "127.0.0.1:" + port;
    }

    void awaitSoa() {
      long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
      String last = "no answer yet";
      while (System.currentTimeMillis() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "named in " + dir + " exited with " + process.exitValue() + ":\n" + logTail());
        }
        try {
          Message answer = soa();
          if (answer.getRcode() == Rcode.NOERROR
              && answer.getHeader().getFlag(Flags.AA)
              && !answer.getSection(Section.ANSWER).isEmpty()) {
            return;
          }
          last = Rcode.string(answer.getRcode());
        } catch (IOException e) {
          last = e.toString();
        }
        TempTree.pause(100, "named");
      }
      throw new IllegalStateException(
          "named in "
              + dir
              + " did not answer the SOA of "
              + ZONE
              + " within "
              + START_TIMEOUT_MILLIS / 1000
              + "s ("
              + last
              + "):\n"
              + logTail());
    }

    long serial() {
      try {
        Message answer = soa();
        return ((org.xbill.DNS.SOARecord) answer.getSection(Section.ANSWER).get(0)).getSerial();
      } catch (IOException | IndexOutOfBoundsException e) {
        throw new IllegalStateException("no SOA from " + address() + ": " + e, e);
      }
    }

    private Message soa() throws IOException {
      SimpleResolver resolver =
          new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      resolver.setTCP(true);
      resolver.setTimeout(Duration.ofSeconds(2));
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString(ZONE + "."), Type.SOA, DClass.IN));
      query.getHeader().unsetFlag(Flags.RD);
      return resolver.send(query);
    }

    void stop() {
      if (process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    String logTail() {
      try {
        List<String> lines = Files.readAllLines(dir.resolve("named.log"), StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }

  private static String randomSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** A port free for both TCP and UDP on 127.0.0.1, as named listens on both. */
  public static int freePort() {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
          return port;
        } catch (IOException e) {
          // taken for UDP: try another
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free port", e);
      }
    }
    throw new IllegalStateException("no port free for both TCP and UDP on 127.0.0.1");
  }
}
