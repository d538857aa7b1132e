package dev.cutover.steps.reboot;

/**
 * A host that rebooted and is back.
 *
 * @param bootIdBefore the kernel's boot id before the reboot
 * @param bootIdAfter the boot id now (another one: the host did boot)
 * @param waitedMillis from the reboot command until the host answered with the new boot id
 * @param requested whether this attempt asked for the reboot; false when an earlier attempt had and
 *     the host was already back
 */
public record RebootResult(
    String bootIdBefore, String bootIdAfter, long waitedMillis, boolean requested) {}
