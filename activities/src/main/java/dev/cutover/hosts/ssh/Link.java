package dev.cutover.hosts.ssh;

import java.io.IOException;
import java.security.PublicKey;
import net.schmizz.sshj.SSHClient;

/** One authenticated SSH connection of the worker, and the host key that was verified for it. */
final class Link {
  private final Target target;
  private final SSHClient client;
  private final PublicKey hostKey;

  Link(Target target, SSHClient client, PublicKey hostKey) {
    this.target = target;
    this.client = client;
    this.hostKey = hostKey;
  }

  Target target() {
    return target;
  }

  SSHClient client() {
    return client;
  }

  PublicKey hostKey() {
    return hostKey;
  }

  /**
   * Whether the transport still runs: a closed or cut connection (noticed by a read or the
   * keepalive) is not.
   */
  boolean alive() {
    return client.isConnected() && client.isAuthenticated();
  }

  void close() {
    try {
      client.disconnect();
    } catch (IOException | RuntimeException e) {
      // it is going away either way
    }
  }
}
