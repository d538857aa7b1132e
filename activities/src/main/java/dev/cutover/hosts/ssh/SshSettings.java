package dev.cutover.hosts.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The worker's SSH defaults; a host of the plan may override the key and the known_hosts file.
 *
 * @param identityFiles private keys tried for hosts that name none; empty for the usual files in
 *     {@code ~/.ssh} that exist when a connection is made
 * @param knownHosts the known_hosts file host keys are checked against; {@code null} for {@code
 *     ~/.ssh/known_hosts}
 * @param connectTimeout how long to wait for the TCP connection and the server's greeting
 * @param keepAlive how often an idle connection is probed; a dead one is noticed after {@link
 *     #KEEP_ALIVE_MAX_MISSED} probes
 */
public record SshSettings(
    List<Path> identityFiles, Path knownHosts, Duration connectTimeout, Duration keepAlive) {
  /**
   * Long enough for a slow link's handshake, and below the steps' 10s heartbeat timeout so a host
   * that is down is reported as unreachable.
   */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Below the idle timeouts of common NAT gateways and firewalls (often 30-60 s), so a reused
   * connection stays open.
   */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);

  /**
   * Unanswered probes before a connection is declared dead: rides out a short blip, notices a cut
   * within a minute.
   */
  public static final int KEEP_ALIVE_MAX_MISSED = 3;

  /** The keys OpenSSH's client tries by default, in its order (DSA is gone from OpenSSH). */
  public static final List<String> DEFAULT_IDENTITY_NAMES =
      List.of("id_ed25519", "id_ecdsa", "id_rsa");

  public SshSettings {
    identityFiles = identityFiles == null ? List.of() : List.copyOf(identityFiles);
    knownHosts = knownHosts == null ? sshDir().resolve("known_hosts") : knownHosts;
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    keepAlive = keepAlive == null ? DEFAULT_KEEP_ALIVE : keepAlive;
  }

  /** Everything from {@code ~/.ssh} and the default timeouts. */
  public static SshSettings defaults() {
    return new SshSettings(List.of(), null, null, null);
  }

  /**
   * The keys to try for a host without its own identityFile: the configured ones, else the default
   * files that exist now.
   */
  public List<Path> identityFilesOrDefault() {
    if (!identityFiles.isEmpty()) {
      return identityFiles;
    }
    return DEFAULT_IDENTITY_NAMES.stream()
        .map(sshDir()::resolve)
        .filter(Files::isRegularFile)
        .toList();
  }

  static Path sshDir() {
    return Path.of(System.getProperty("user.home"), ".ssh");
  }

  /**
   * A path from the plan, with a leading {@code ~/} meaning the worker's home, as in ssh_config.
   */
  static Path expandHome(String path) {
    if (path.equals("~")) {
      return Path.of(System.getProperty("user.home"));
    }
    if (path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"), path.substring(2));
    }
    return Path.of(path);
  }
}
