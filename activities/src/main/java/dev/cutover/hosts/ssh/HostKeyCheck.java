package dev.cutover.hosts.ssh;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Checks the key a host presents during the handshake, and never accepts a key nobody vouched for:
 * either the one fingerprint the plan pins ({@code hostKey:}), or the known_hosts file (hashed
 * entries and {@code [address]:port} entries included). When it refuses, {@link #failure()} holds
 * the classified failure to throw instead of sshj's generic transport error.
 */
final class HostKeyCheck implements HostKeyVerifier {
  private final Target target;
  private final String pinned;
  private final Path knownHostsFile;
  private final KnownHostsFile knownHosts;
  private volatile ApplicationFailure failure;
  private volatile PublicKey accepted;

  private HostKeyCheck(
      Target target, String pinned, Path knownHostsFile, KnownHostsFile knownHosts) {
    this.target = target;
    this.pinned = pinned;
    this.knownHostsFile = knownHostsFile;
    this.knownHosts = knownHosts;
  }

  /** The check for a target: its pinned key, else its known_hosts file, else the worker's. */
  static HostKeyCheck of(Target target, SshSettings settings) {
    if (target.hostKey() != null) {
      return new HostKeyCheck(target, HostKeys.normalizePinned(target.hostKey()), null, null);
    }
    Path file =
        target.knownHosts() != null
            ? SshSettings.expandHome(target.knownHosts())
            : settings.knownHosts();
    if (Files.exists(file) && !Files.isReadable(file)) {
      throw ApplicationFailure.newNonRetryableFailure(
          target.describe() + ": the known_hosts file " + file + " is not readable by the worker",
          CutoverErrors.INVALID_CONFIG);
    }
    try {
      return new HostKeyCheck(target, null, file, new KnownHostsFile(file));
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          target.describe() + ": cannot read the known_hosts file " + file + ": " + e.getMessage(),
          CutoverErrors.INVALID_CONFIG);
    }
  }

  /** Why the host's key was refused, or null. */
  ApplicationFailure failure() {
    return failure;
  }

  /** The key that was verified, once the handshake passed. */
  PublicKey accepted() {
    return accepted;
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    // The host is checked under the address and port of the plan, whatever sshj names it (a
    // tunnel).
    String presented = HostKeys.type(key) + " " + HostKeys.fingerprint(key);
    if (pinned != null) {
      if (pinned.equals(HostKeys.fingerprint(key))) {
        accepted = key;
        return true;
      }
      failure =
          mismatch(
              presented, List.of(pinned), "the plan's pinned hostKey for " + target.hostName());
      return false;
    }
    knownHosts.reset();
    if (knownHosts.verify(target.address(), target.port(), key)) {
      accepted = key;
      return true;
    }
    List<String> expected = knownHosts.keysFor(target.address(), target.port());
    String where =
        "the known_hosts file "
            + knownHostsFile
            + " (entry "
            + HostKeys.hostPattern(target.address().toLowerCase(Locale.ROOT), target.port())
            + ")";
    if (knownHosts.changed || !expected.isEmpty()) {
      failure = mismatch(presented, expected, where);
    } else {
      failure = unknown(key, presented);
    }
    return false;
  }

  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    // Ask the host for the key type known_hosts has, as OpenSSH does; a pinned fingerprint does not
    // say its type.
    return knownHosts == null
        ? List.of()
        : knownHosts.findExistingAlgorithms(target.address(), target.port());
  }

  private ApplicationFailure unknown(PublicKey key, String presented) {
    String pattern = HostKeys.hostPattern(target.address(), target.port());
    String fingerprint = HostKeys.fingerprint(key);
    String fileState =
        Files.exists(knownHostsFile) ? "has no entry for " + pattern : "does not exist";
    return ApplicationFailure.newNonRetryableFailure(
        target.describe()
            + ": unknown host key "
            + presented
            + ": the known_hosts file "
            + knownHostsFile
            + " "
            + fileState
            + ", and cutover never trusts a host key on first use. Compare the fingerprint out of band"
            + " (`ssh-keyscan -p "
            + target.port()
            + " "
            + target.address()
            + " | ssh-keygen -lf -` from a network you trust,"
            + " or `ssh-keygen -lf /etc/ssh/ssh_host_"
            + keyFileSuffix(key)
            + "_key.pub` on the host's console),"
            + " then add the host's line to "
            + knownHostsFile
            + " or pin it on the host in the plan: `hostKey: "
            + fingerprint
            + "`",
        CutoverErrors.HOST_KEY_UNKNOWN);
  }

  private ApplicationFailure mismatch(String presented, List<String> expected, String where) {
    return ApplicationFailure.newNonRetryableFailure(
        target.describe()
            + ": host key mismatch: the host presented "
            + presented
            + ", but "
            + where
            + " expects "
            + String.join(" or ", expected)
            + ". The host was reinstalled or re-keyed, or someone is intercepting the"
            + " connection: confirm the new key with the host's administrator out of band before you replace the old one",
        CutoverErrors.HOST_KEY_MISMATCH);
  }

  private static String keyFileSuffix(PublicKey key) {
    String type = HostKeys.type(key);
    if (type.startsWith("ecdsa")) {
      return "ecdsa";
    }
    return type.startsWith("ssh-") ? type.substring(4) : type;
  }

  /**
   * sshj's known_hosts reader, telling a changed key apart from an unknown host and listing what it
   * expected.
   */
  private static final class KnownHostsFile extends OpenSSHKnownHosts {
    private boolean changed;

    KnownHostsFile(Path file) throws IOException {
      super(file.toFile());
    }

    void reset() {
      changed = false;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
      return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
      changed = true;
      return false;
    }

    /** Every key the file has for the host, any type, as {@code type SHA256:...}. */
    List<String> keysFor(String address, int port) {
      String pattern = HostKeys.hostPattern(address.toLowerCase(Locale.ROOT), port);
      List<String> keys = new ArrayList<>();
      for (KnownHostEntry entry : entries()) {
        try {
          if (entry instanceof HostEntry && entry.appliesTo(pattern)) {
            keys.add(describe(entry.getLine()));
          }
        } catch (IOException | RuntimeException e) {
          // an entry that cannot be matched or read says nothing about this host
        }
      }
      return keys;
    }

    private static String describe(String line) {
      String[] fields = line.trim().split("\\s+");
      int i = fields[0].startsWith("@") ? 1 : 0;
      String marker = i == 1 ? " (marked " + fields[0] + ")" : "";
      if (fields.length < i + 3) {
        return "an entry it cannot read" + marker;
      }
      try {
        return fields[i + 1]
            + " "
            + HostKeys.fingerprintOfBlob(Base64.getDecoder().decode(fields[i + 2]))
            + marker;
      } catch (IllegalArgumentException e) {
        return fields[i + 1] + " (an old-style key)" + marker;
      }
    }
  }
}
