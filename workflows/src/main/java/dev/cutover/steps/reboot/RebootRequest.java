package dev.cutover.steps.reboot;

import dev.cutover.plan.Host;
import java.time.Duration;

/**
 * A host to reboot.
 *
 * @param migration the migration's name and 8 characters of its first run's id: the boot id read
 *     before is saved in a directory named after it and the step, so a retry finds it
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host; reached over SSH (the worker's own machine is never rebooted)
 * @param upWithin how long the host may take to go down and come back before the step fails
 * @param sudo the step's own sudo setting; {@code null} to use the host's
 */
public record RebootRequest(
    String migration, String step, String hostName, Host host, Duration upWithin, Boolean sudo) {}
