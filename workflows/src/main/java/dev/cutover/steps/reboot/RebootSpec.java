package dev.cutover.steps.reboot;

import dev.cutover.plan.Doc;
import dev.cutover.plan.Host;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.util.List;

/** The fields of a {@code reboot} step: reboot a host and wait until it is back. */
public record RebootSpec(
    @Doc("The host to reboot (from hosts); one reached over ssh.") String host,
    @Doc("Run the reboot command through `sudo -n` (default: the host's sudo).") Boolean sudo)
    implements StepSpec {
  @Override
  public List<String> hosts() {
    return host == null ? List.of() : List.of(host);
  }

  @Override
  public String placeText() {
    return host;
  }

  @Override
  public String activityPlace() {
    return host;
  }

  /** A reboot puts nothing back. */
  @Override
  public boolean canUndo() {
    return false;
  }

  @Override
  public void validate(SpecCheck c) {
    c.require("host", host, "the host to reboot");
    c.hostRef("host", host);
    Host h = host == null ? null : c.plan().hosts().get(host);
    if (h != null && !h.usesSsh()) {
      c.report(
          "host",
          "host '"
              + host
              + "' is not reached over ssh: the worker never reboots the machine it runs on");
    }
  }
}
