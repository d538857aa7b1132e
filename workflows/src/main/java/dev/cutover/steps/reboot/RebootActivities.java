package dev.cutover.steps.reboot;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code reboot} step: reboots a host and waits until it is back, reached over SSH with its
 * host key verified as for every connection (a host that comes back with another key stops the step
 * with {@code HostKeyMismatch}, non-retryable).
 *
 * <p>A reboot is known by the kernel's boot id ({@code /proc/sys/kernel/random/boot_id}), which
 * changes with every boot: the one read before is saved on the host (in the connecting user's
 * {@code ~/.cutover/MIGRATION/STEP/boot-id}), so a retry after a worker crash finds it and does not
 * reboot a host that already did. The dropped connection is expected: the step keeps asking,
 * heartbeating {@link RebootProgress}, until the boot id differs or {@link RebootRequest#upWithin}
 * has passed, which fails retryably naming the host.
 */
@ActivityInterface
public interface RebootActivities {
  @ActivityMethod(name = "Reboot")
  RebootResult reboot(RebootRequest request);
}
