package dev.cutover.hosts.ssh;

import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.SshTransport;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ssh} transport: one reused connection per distinct host definition (address, port,
 * user, key, host key policy, jump chain) for the whole worker, opened on first use, reopened when
 * it died, probed by keepalives while idle. Thread-safe.
 *
 * <p>Host keys are always verified (see {@link HostKeyCheck}); private keys are read from files on
 * the worker, their passphrases resolved from secret references and never logged. Failures are
 * {@link ApplicationFailure}s typed by {@link CutoverErrors} and naming the host: unreachable hosts
 * are retried, configuration, authentication and host key problems are not.
 */
public final class SshConnections implements SshTransport, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SshConnections.class);

  private final SshSettings settings;
  private final SecretResolver secrets;
  private final DefaultConfig config;
  private final ConcurrentHashMap<Target, Slot> slots = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public SshConnections(SshSettings settings, SecretResolver secrets) {
    this.settings = settings == null ? SshSettings.defaults() : settings;
    this.secrets = secrets;
    this.config = new DefaultConfig();
    this.config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
  }

  @Override
  public HostShell shell(String hostName, Host host) {
    return new SshShell(hostName, host, this);
  }

  @Override
  public String knownHostsLine(String hostName, Host host) {
    Target target = Target.of(hostName, host);
    Link link = link(target);
    return HostKeys.knownHostsLine(target.address(), target.port(), link.hostKey());
  }

  /** Disconnects every connection; shells of this transport fail from now on. */
  @Override
  public void close() {
    closed = true;
    for (Slot slot : slots.values()) {
      synchronized (slot) {
        if (slot.link != null) {
          slot.link.close();
          slot.link = null;
        }
      }
    }
    slots.clear();
  }

  /**
   * The open connection for the target: the cached one while it lives, else a new one (and its jump
   * hosts').
   */
  Link link(Target target) {
    Slot slot = slots.computeIfAbsent(target, t -> new Slot());
    synchronized (slot) {
      ensureOpen(target);
      if (slot.link != null && slot.link.alive()) {
        return slot.link;
      }
      if (slot.link != null) {
        log.info("ssh: connection to {} is gone; reconnecting", target.describe());
        slot.link.close();
        slot.link = null;
      }
      Link fresh = connect(target);
      if (closed) {
        fresh.close();
        ensureOpen(target);
      }
      slot.link = fresh;
      return fresh;
    }
  }

  /** Forgets a connection that failed under a command, so the next use reconnects. */
  void discard(Link link) {
    Slot slot = slots.get(link.target());
    if (slot != null) {
      synchronized (slot) {
        if (slot.link == link) {
          slot.link = null;
        }
      }
    }
    link.close();
  }

  private void ensureOpen(Target target) {
    if (closed) {
      // Retryable: another worker (or this one, restarted) picks the attempt up.
      throw ApplicationFailure.newFailure(
          target.describe() + ": the worker's ssh connections are closed (shutting down)",
          CutoverErrors.CONNECTION_LOST);
    }
  }

  private Link connect(Target target) {
    SSHClient client = new SSHClient(config);
    client.setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()));
    KeepAlive keepAlive = client.getConnection().getKeepAlive();
    keepAlive.setKeepAliveInterval(Math.toIntExact(Math.max(1, settings.keepAlive().toSeconds())));
    if (keepAlive instanceof KeepAliveRunner runner) {
      runner.setMaxAliveCount(SshSettings.KEEP_ALIVE_MAX_MISSED);
    }
    HostKeyCheck hostKeyCheck = HostKeyCheck.of(target, settings);
    client.addHostKeyVerifier(hostKeyCheck);
    List<Path> keyFiles = keyFiles(target);
    List<KeyProvider> keys = loadKeys(target, client, keyFiles);
    try {
      if (target.jump() == null) {
        client.connect(target.address(), target.port());
      } else {
        client.connectVia(tunnel(target));
      }
    } catch (IOException e) {
      closeQuietly(client);
      if (hostKeyCheck.failure() != null) {
        throw hostKeyCheck.failure();
      }
      throw unreachable(target, e);
    }
    try {
      client.authPublickey(target.user(), keys);
    } catch (UserAuthException e) {
      closeQuietly(client);
      throw ApplicationFailure.newNonRetryableFailure(
          target.describe()
              + ": authentication as user "
              + target.user()
              + " failed with the key "
              + names(keyFiles)
              + ": the host does not accept it (is its public key in ~"
              + target.user()
              + "/.ssh/authorized_keys on the host,"
              + " and is the user right?)",
          CutoverErrors.AUTH_FAILED);
    } catch (IOException e) {
      closeQuietly(client);
      throw unreachable(target, e);
    }
    log.info(
        "ssh: connected to {} as {}, host key {}",
        target.describe(),
        target.user(),
        HostKeys.fingerprint(hostKeyCheck.accepted()));
    return new Link(target, client, hostKeyCheck.accepted());
  }

  /**
   * A channel through the jump host's connection to the target's address, as {@code ssh -J} opens
   * it.
   */
  private DirectConnection tunnel(Target target) throws IOException {
    Link jump = link(target.jump());
    try {
      return jump.client().newDirectConnection(target.address(), target.port());
    } catch (OpenFailException e) {
      throw new ConnectException(
          "jump host "
              + target.jump().hostName()
              + " could not open a connection to "
              + target.endpoint()
              + " ("
              + e.getReason()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")");
    } catch (IOException e) {
      discard(jump);
      throw e;
    }
  }

  private List<Path> keyFiles(Target target) {
    List<Path> files =
        target.identityFile() != null
            ? List.of(SshSettings.expandHome(target.identityFile()))
            : settings.identityFilesOrDefault();
    if (files.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          target.describe()
              + ": no private key to log in with: set identityFile on the host, or the worker's cutover.ssh.identity-files,"
              + " or create ~/.ssh/id_ed25519 for the worker's user",
          CutoverErrors.INVALID_CONFIG);
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw ApplicationFailure.newNonRetryableFailure(
            target.describe() + ": the private key file " + file + " does not exist on the worker",
            CutoverErrors.INVALID_CONFIG);
      }
      if (!Files.isReadable(file)) {
        throw ApplicationFailure.newNonRetryableFailure(
            target.describe() + ": the private key file " + file + " is not readable by the worker",
            CutoverErrors.INVALID_CONFIG);
      }
    }
    return files;
  }

  /**
   * Reads and decrypts the keys now, so a wrong passphrase is told apart from a key the host
   * refuses. The passphrase lives in a char array that is wiped after use.
   */
  private List<KeyProvider> loadKeys(Target target, SSHClient client, List<Path> files) {
    char[] passphrase =
        target.passphraseRef() == null
            ? null
            : secrets.resolve(target.passphraseRef()).toCharArray();
    try {
      List<KeyProvider> keys = new ArrayList<>();
      for (Path file : files) {
        KeyProvider provider;
        try {
          provider =
              passphrase == null
                  ? client.loadKeys(file.toString())
                  : client.loadKeys(file.toString(), passphrase.clone());
        } catch (IOException | RuntimeException e) {
          throw ApplicationFailure.newNonRetryableFailure(
              target.describe()
                  + ": the private key file "
                  + file
                  + " is not a private key the worker can read ("
                  + e.getMessage()
                  + ")",
              CutoverErrors.INVALID_CONFIG);
        }
        try {
          PrivateKey privateKey = provider.getPrivate();
          PublicKey publicKey = provider.getPublic();
          keys.add(new KeyPairWrapper(publicKey, privateKey));
        } catch (IOException | RuntimeException e) {
          String why =
              passphrase != null
                  ? "cannot be decrypted with the passphrase from "
                      + target.passphraseRef()
                      + " (wrong passphrase?)"
                  : "cannot be read ("
                      + e.getMessage()
                      + "); if it is protected by a passphrase, set passphraseSecret on the host";
          throw ApplicationFailure.newNonRetryableFailure(
              target.describe()
                  + ": authentication as user "
                  + target.user()
                  + " failed: the private key file "
                  + file
                  + " "
                  + why,
              CutoverErrors.AUTH_FAILED);
        }
      }
      return keys;
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, '\0');
      }
    }
  }

  private static ApplicationFailure unreachable(Target target, IOException e) {
    return ApplicationFailure.newFailure(
        target.describe() + ": cannot connect: " + cause(e, target),
        CutoverErrors.HOST_UNREACHABLE);
  }

  /**
   * What went wrong, in words an operator recognizes, from the exception or the first cause that
   * says more.
   */
  static String cause(Throwable e, Target target) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "the name " + target.address() + " does not resolve (DNS)";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof SocketTimeoutException) {
        return "no answer (timed out)";
      }
      if (t instanceof ConnectException
          && t.getMessage() != null
          && t.getMessage().startsWith("Connection refused")) {
        return "connection refused (is sshd running and listening on port " + target.port() + "?)";
      }
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : ": " + message);
  }

  private static String names(List<Path> files) {
    return files.size() == 1 ? files.get(0).toString() : "s " + files;
  }

  private static void closeQuietly(SSHClient client) {
    try {
      client.disconnect();
    } catch (IOException | RuntimeException e) {
      // nothing to close
    }
  }

  /**
   * The cached connection of one target; its monitor serializes connecting, so a host gets one
   * connection.
   */
  private static final class Slot {
    private Link link;
  }
}
