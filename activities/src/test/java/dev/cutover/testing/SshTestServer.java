package dev.cutover.testing;

import dev.cutover.plan.Host;
import dev.cutover.plan.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.AgentForwardingFilter;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.X11ForwardingFilter;
import org.slf4j.LoggerFactory;

/**
 * An SSH server inside the test JVM (Apache MINA sshd) that runs commands as real processes, as
 * OpenSSH's sshd does: {@code /bin/sh -c <the whole command string>}, with the channel's stdin,
 * stdout, stderr and exit code wired to the process.
 *
 * <p>It listens on 127.0.0.1 only, on a random port, with its own ed25519 host key, and accepts
 * public-key authentication for one user name with the keys it generated ({@link #clientKey()},
 * {@link #clientKeyWithPassphrase}) or {@linkplain #authorize authorized}. Direct TCP forwarding to
 * loopback addresses is allowed, so one server can be the jump host to another. Commands run as the
 * user running the tests, whatever the login name.
 *
 * <p>Like OpenSSH without a pty, a dropped connection closes the process's pipes but does not kill
 * it: stopping remote processes is the client's job. Processes still running when the server is
 * closed are killed with their descendants, so a failed test does not leave them behind.
 */
public final class SshTestServer implements AutoCloseable {
  public static final String DEFAULT_USER = "deploy";
  private static final String LOOPBACK = "127.0.0.1";

  /**
   * How long output still flowing after the process exited is forwarded before the exit is
   * reported.
   */
  private static final long OUTPUT_DRAIN_MILLIS = 2000;

  static {
    quietLogging();
  }

  private final String user;
  private final Path dir;
  private final Path home;
  private volatile KeyPair hostKey;
  private final KeyPair clientKeyPair;
  private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger commands = new AtomicInteger();
  private final Set<Process> processes = ConcurrentHashMap.newKeySet();
  private final Map<String, Path> passphraseKeys = new ConcurrentHashMap<>();
  private volatile SshServer server;
  private volatile Path pathPrefix;
  private int port;

  private SshTestServer(String user) throws IOException {
    this.user = user;
    this.dir = Files.createTempDirectory("cutover-sshd");
    this.home = Files.createDirectories(dir.resolve("home"));
    this.hostKey = newEd25519();
    this.clientKeyPair = newEd25519();
    authorized.add(clientKeyPair.getPublic());
  }

  /** Starts a server accepting {@link #DEFAULT_USER}. */
  public static SshTestServer start() throws IOException {
    return start(DEFAULT_USER);
  }

  /** Starts a server accepting the given login name. */
  public static SshTestServer start(String user) throws IOException {
    SshTestServer s = new SshTestServer(user);
    s.listen(0);
    return s;
  }

  public String address() {
    return LOOPBACK;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  /** The directory commands start in, and their {@code HOME}. */
  public Path home() {
    return home;
  }

  public PublicKey hostPublicKey() {
    return hostKey.getPublic();
  }

  /** The host key's fingerprint as {@code ssh-keygen -lf} prints it: {@code SHA256:<base64>}. */
  public String hostKeyFingerprint() {
    return fingerprint(hostKey.getPublic());
  }

  /** The host key as a known_hosts line: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA...}. */
  public String knownHostsLine() {
    return hostPattern() + " " + PublicKeyEntry.toString(hostKey.getPublic());
  }

  /** The same entry with the host name hashed, as {@code ssh-keygen -H} writes it. */
  public String hashedKnownHostsLine() {
    try {
      byte[] salt = new byte[20];
      new SecureRandom().nextBytes(salt);
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(salt, "HmacSHA1"));
      byte[] hash = mac.doFinal(hostPattern().getBytes(StandardCharsets.UTF_8));
      Base64.Encoder b64 = Base64.getEncoder();
      return "|1|"
          + b64.encodeToString(salt)
          + "|"
          + b64.encodeToString(hash)
          + " "
          + PublicKeyEntry.toString(hostKey.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a known_hosts file that vouches for this server's key, and returns it. */
  public Path writeKnownHosts(Path file) throws IOException {
    Files.writeString(file, knownHostsLine() + "\n");
    return file;
  }

  /** The known_hosts host pattern for this server: {@code [127.0.0.1]:PORT}. */
  public String hostPattern() {
    return "[" + LOOPBACK + "]:" + port;
  }

  /** The authorized client key as an OpenSSH private key file without passphrase. */
  public Path clientKey() throws IOException {
    Path file = dir.resolve("client_ed25519");
    if (!Files.exists(file)) {
      writePrivateKey(clientKeyPair, null, file);
    }
    return file;
  }

  /**
   * An authorized client key (its own key pair) as an OpenSSH private key file protected by the
   * passphrase.
   */
  public Path clientKeyWithPassphrase(String passphrase) throws IOException {
    return passphraseKeys.computeIfAbsent(
        passphrase,
        p -> {
          try {
            KeyPair pair = newEd25519();
            authorized.add(pair.getPublic());
            Path file = dir.resolve("client_ed25519_protected_" + passphraseKeys.size());
            writePrivateKey(pair, p, file);
            return file;
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * Writes a fresh ed25519 key pair this server does not know to {@code file} (OpenSSH format, no
   * passphrase).
   */
  public static Path writeUnknownKey(Path file) throws IOException {
    writePrivateKey(newEd25519(), null, file);
    return file;
  }

  /**
   * Puts a directory first on the PATH of commands started from now on: for stand-ins of tools the
   * test machine lacks (a {@code sudo} that just runs its command, say).
   */
  public void prependPath(Path directory) {
    pathPrefix = directory;
  }

  /** Lets another key log in. */
  public void authorize(PublicKey key) {
    authorized.add(key);
  }

  /**
   * Lets the key of an OpenSSH public key file ({@code id_ed25519.pub}, as ssh-keygen writes it)
   * log in.
   */
  public void authorize(Path publicKeyFile) throws IOException {
    try {
      for (AuthorizedKeyEntry entry : AuthorizedKeyEntry.readAuthorizedKeys(publicKeyFile)) {
        authorized.add(entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read public key " + publicKeyFile, e);
    }
  }

  /**
   * A {@link Host} of the plan for this server, with the authorized key and the given known_hosts
   * file.
   */
  public Host host(Path knownHosts) throws IOException {
    return new Host(
        Transport.SSH,
        LOOPBACK,
        user,
        port,
        null,
        clientKey().toString(),
        null,
        knownHosts == null ? null : knownHosts.toString(),
        null,
        null,
        null,
        null,
        null);
  }

  /** SSH connections accepted since the server was created (across restarts). */
  public int connectionCount() {
    return connections.get();
  }

  /** Commands (exec requests) run since the server was created. */
  public int commandCount() {
    return commands.get();
  }

  /** SSH connections open right now. */
  public int openConnections() {
    SshServer s = server;
    return s == null ? 0 : s.getActiveSessions().size();
  }

  /**
   * Cuts every connection at once, as a network failure or a restarted sshd would; running commands
   * go on.
   */
  public void dropAllSessions() {
    SshServer s = server;
    if (s != null) {
      s.getActiveSessions().forEach(session -> session.close(true));
    }
  }

  /**
   * Stops listening and drops every connection; {@link #restart()} listens again on the same port.
   */
  public void stop() throws IOException {
    SshServer s = server;
    server = null;
    if (s != null) {
      s.stop(true);
    }
  }

  /** Listens again on the same port with the same host key (for reconnect tests). */
  public void restart() throws IOException {
    stop();
    listen(port);
  }

  /**
   * Listens again on the same port with a new host key: a host reinstalled, or another machine
   * behind its address.
   */
  public void restartWithNewHostKey() throws IOException {
    stop();
    hostKey = newEd25519();
    listen(port);
  }

  @Override
  public void close() throws IOException {
    stop();
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /**
   * {@code SHA256:<base64 without padding>} of the key's SSH wire encoding, as OpenSSH prints it.
   */
  public static String fingerprint(PublicKey key) {
    try {
      String[] entry = PublicKeyEntry.toString(key).split(" ");
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(entry[1]));
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void listen(int onPort) throws IOException {
    SshServer s = SshServer.setUpDefaultServer();
    s.setHost(LOOPBACK);
    s.setPort(onPort);
    s.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    s.setPasswordAuthenticator(null);
    s.setKeyboardInteractiveAuthenticator(null);
    s.setPublickeyAuthenticator(
        (username, key, session) ->
            user.equals(username)
                && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
    s.setCommandFactory((channel, command) -> new ProcessCommand(command));
    s.setForwardingFilter(
        ForwardingFilter.asForwardingFilter(
            AgentForwardingFilter.of(false), X11ForwardingFilter.of(false), new LoopbackOnly()));
    s.addSessionListener(
        new SessionListener() {
          @Override
          public void sessionCreated(Session session) {
            connections.incrementAndGet();
          }
        });
    s.start();
    server = s;
    port = s.getPort();
  }

  private static KeyPair newEd25519() {
    try {
      return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make ed25519 keys", e);
    }
  }

  private static void writePrivateKey(KeyPair pair, String passphrase, Path file)
      throws IOException {
    OpenSSHKeyEncryptionContext encryption = null;
    if (passphrase != null) {
      encryption = new OpenSSHKeyEncryptionContext();
      encryption.setCipherName("AES");
      encryption.setCipherMode("CTR");
      encryption.setCipherType("256");
      encryption.setPassword(passphrase);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "cutover-test", encryption, out);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write key " + file, e);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  /**
   * Jump-host tunnels may reach this machine's loopback only: a test never opens connections
   * elsewhere.
   */
  private static final class LoopbackOnly implements TcpForwardingFilter {
    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
      return false;
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
      try {
        return type == Type.Direct
            && InetAddress.getByName(address.getHostName()).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }

  /**
   * Runs the exec request's command string with /bin/sh -c, as sshd does, wiring the channel's
   * streams to it.
   */
  private final class ProcessCommand implements Command {
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    ProcessCommand(String command) {
      this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      commands.incrementAndGet();
      ProcessBuilder builder =
          new ProcessBuilder("/bin/sh", "-c", command).directory(home.toFile());
      Map<String, String> environment = builder.environment();
      String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
      Path prefix = pathPrefix;
      if (prefix != null) {
        path = prefix + ":" + path;
      }
      String lang = environment.get("LANG");
      environment.clear();
      environment.put("PATH", path);
      environment.put("HOME", home.toString());
      environment.put("USER", user);
      environment.put("LOGNAME", user);
      environment.put("SHELL", "/bin/sh");
      if (lang != null) {
        environment.put("LANG", lang);
      }
      Process p = builder.start();
      process = p;
      processes.add(p);
      Thread stdin = copy(in, p.getOutputStream(), true, "stdin");
      Thread stdout = copy(p.getInputStream(), out, false, "stdout");
      Thread stderr = copy(p.getErrorStream(), err, false, "stderr");
      Thread waiter =
          new Thread(
              () -> {
                int code;
                try {
                  code = p.waitFor();
                  stdout.join(OUTPUT_DRAIN_MILLIS);
                  stderr.join(OUTPUT_DRAIN_MILLIS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                } finally {
                  processes.remove(p);
                }
                stdin.interrupt();
                exit.onExit(code);
              },
              "sshd-test-wait");
      waiter.setDaemon(true);
      waiter.start();
    }

    @Override
    public void destroy(ChannelSession channel) {
      // Like sshd without a pty: the pipes close, the process is not signalled.
      Process p = process;
      if (p != null) {
        try {
          p.getOutputStream().close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }

    private Thread copy(InputStream from, OutputStream to, boolean closeTarget, String name) {
      Thread t =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try {
                  int n;
                  while ((n = from.read(buffer)) != -1) {
                    to.write(buffer, 0, n);
                    to.flush();
                  }
                } catch (IOException e) {
                  // the channel or the process went away
                } finally {
                  if (closeTarget) {
                    try {
                      to.close();
                    } catch (IOException ignored) {
                      // already closed
                    }
                  }
                }
              },
              "sshd-test-" + name);
      t.setDaemon(true);
      t.start();
      return t;
    }
  }

  /** MINA and sshj log every packet at debug level; tests only need their warnings. */
  private static void quietLogging() {
    for (String name : List.of("org.apache.sshd", "net.schmizz", "com.hierynomus")) {
      org.slf4j.Logger logger = LoggerFactory.getLogger(name);
      if (logger instanceof ch.qos.logback.classic.Logger logback) {
        logback.setLevel(ch.qos.logback.classic.Level.WARN);
      }
    }
  }

  @Override
  public String toString() {
    return "SshTestServer[" + hostPattern() + ", user " + user + "]";
  }

  /** For diagnostics in failing tests: the pids of commands still running. */
  public List<Long> runningCommandPids() {
    List<Long> pids = new ArrayList<>();
    processes.forEach(p -> pids.add(p.pid()));
    return pids;
  }
}
