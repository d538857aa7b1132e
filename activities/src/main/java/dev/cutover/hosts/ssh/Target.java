package dev.cutover.hosts.ssh;

import dev.cutover.plan.Host;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.util.Objects;

/**
 * Everything that decides which SSH connection a host gets: hosts with equal targets share one
 * connection in the worker. Plan-only fields (description, sudo) are left out; the names are kept
 * for messages.
 */
record Target(
    String hostName,
    String address,
    int port,
    String user,
    String identityFile,
    String passphraseRef,
    String knownHosts,
    String hostKey,
    Target jump) {

  /** A jump chain longer than this is a loop in the plan, not a network design. */
  static final int MAX_JUMPS = 8;

  static Target of(String hostName, Host host) {
    return of(hostName, host, 0);
  }

  private static Target of(String hostName, Host host, int depth) {
    if (host == null) {
      throw invalid(hostName, "has no definition");
    }
    if (host.address() == null || host.address().isBlank()) {
      throw invalid(hostName, "uses transport ssh but has no address");
    }
    int port = host.portOrDefault();
    if (port < 1 || port > 65535) {
      throw invalid(hostName, "has port " + port + ", outside 1-65535");
    }
    if (host.hostKey() != null && HostKeys.normalizePinned(host.hostKey()) == null) {
      throw invalid(
          hostName,
          "has hostKey '"
              + host.hostKey()
              + "', which is not a SHA256 fingerprint as `ssh-keygen -lf` prints it (SHA256:...)");
    }
    Target jump = null;
    if (host.jumpHost() != null || host.jump() != null) {
      if (depth >= MAX_JUMPS) {
        throw invalid(
            hostName,
            "is reached through more than "
                + MAX_JUMPS
                + " jump hosts; is there a loop of jump: settings?");
      }
      if (host.jumpHost() == null) {
        throw invalid(
            hostName,
            "names jump host " + host.jump() + ", which the plan does not define as an ssh host");
      }
      String jumpName = host.jump() == null ? hostName + "'s jump host" : host.jump();
      jump = of(jumpName, host.jumpHost(), depth + 1);
    }
    return new Target(
        hostName,
        host.address().trim(),
        port,
        host.userOrDefault(),
        host.identityFile(),
        host.passphraseRef(),
        host.knownHosts(),
        host.hostKey(),
        jump);
  }

  /**
   * Two plan names for the same machine, user and key policy share a connection: the name is not
   * part of it.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Target t
        && port == t.port
        && address.equals(t.address)
        && user.equals(t.user)
        && Objects.equals(identityFile, t.identityFile)
        && Objects.equals(passphraseRef, t.passphraseRef)
        && Objects.equals(knownHosts, t.knownHosts)
        && Objects.equals(hostKey, t.hostKey)
        && Objects.equals(jump, t.jump);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        address, port, user, identityFile, passphraseRef, knownHosts, hostKey, jump);
  }

  /** {@code 10.0.0.3:22}, {@code [fe80::1]:22}. */
  String endpoint() {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }

  /** How messages name the host: {@code host old (10.0.0.3:22 through jump host bastion)}. */
  String describe() {
    return "host "
        + hostName
        + " ("
        + endpoint()
        + (jump == null ? "" : " through jump host " + jump.hostName)
        + ")";
  }

  private static ApplicationFailure invalid(String hostName, String problem) {
    return ApplicationFailure.newNonRetryableFailure(
        "host " + hostName + " " + problem, CutoverErrors.INVALID_CONFIG);
  }
}
