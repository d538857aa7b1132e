package dev.cutover.hosts.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** Host keys written the way OpenSSH writes them: fingerprints and known_hosts lines. */
public final class HostKeys {
  private HostKeys() {}

  /**
   * The key's fingerprint as {@code ssh-keygen -lf} prints it: {@code SHA256:} and unpadded base64.
   */
  public static String fingerprint(PublicKey key) {
    return fingerprintOfBlob(blob(key));
  }

  /**
   * The key's algorithm name as in known_hosts: {@code ssh-ed25519}, {@code ecdsa-sha2-nistp256},
   * {@code ssh-rsa}.
   */
  public static String type(PublicKey key) {
    return KeyType.fromKey(key).toString();
  }

  /**
   * A known_hosts line for the key at {@code address}, {@code [address]:port} when the port is not
   * 22, e.g. {@code 10.0.0.3 ssh-ed25519 AAAA...}.
   */
  public static String knownHostsLine(String address, int port, PublicKey key) {
    return hostPattern(address, port)
        + " "
        + type(key)
        + " "
        + Base64.getEncoder().encodeToString(blob(key));
  }

  /** How known_hosts names a host: {@code address} on port 22, else {@code [address]:port}. */
  public static String hostPattern(String address, int port) {
    return port == 22 ? address : "[" + address + "]:" + port;
  }

  /**
   * A pinned fingerprint from the plan, trimmed and without base64 padding, or null when it is not
   * a SHA256 one.
   */
  static String normalizePinned(String pinned) {
    String p = pinned.trim();
    if (!p.startsWith("SHA256:") || p.length() <= "SHA256:".length()) {
      return null;
    }
    while (p.endsWith("=")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  static String fingerprintOfBlob(byte[] blob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] blob(PublicKey key) {
    return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
  }
}
