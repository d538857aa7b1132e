package dev.cutover.hosts;

import dev.cutover.plan.Host;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;

/** For workers and tests without SSH configured: any ssh host is refused, naming it. */
public final class NoSshTransport implements SshTransport {
  @Override
  public HostShell shell(String hostName, Host host) {
    throw refused(hostName);
  }

  @Override
  public String knownHostsLine(String hostName, Host host) {
    throw refused(hostName);
  }

  private static ApplicationFailure refused(String hostName) {
    return ApplicationFailure.newNonRetryableFailure(
        "host " + hostName + ": transport ssh is not available in this worker",
        CutoverErrors.TRANSPORT_UNAVAILABLE);
  }
}
