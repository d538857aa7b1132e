package dev.cutover.hosts;

import dev.cutover.plan.Host;

/** Opens shells on hosts reached over SSH; the worker keeps one connection per host. */
public interface SshTransport {
  /**
   * A shell on the host, connecting (through its jump host, if any) on first use. Connection
   * failures are thrown when a script is run, classified as {@link HostShell} describes.
   */
  HostShell shell(String hostName, Host host);

  /**
   * The host's key as it was verified by the worker, as a known_hosts line for the address and port
   * another host reaches it at ({@code [addr]:port} when the port is not 22). rsync between two
   * hosts writes it on the host that connects, so that hop is checked too without trusting on first
   * use.
   */
  String knownHostsLine(String hostName, Host host);
}
