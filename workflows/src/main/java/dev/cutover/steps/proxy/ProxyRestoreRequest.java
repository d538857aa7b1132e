package dev.cutover.steps.proxy;

import dev.cutover.plan.Host;

/**
 * The undo of a switch.
 *
 * @param step the step's name in the plan
 * @param hostName the old host's name in the plan
 * @param host the old host
 * @param switched the result of the switch being undone; {@code null} when the switch was cut short
 *     or failed before it returned: the restore then works from what the switch left on the host
 *     (its backup and marker files beside {@code sitePath}), and does nothing if it left nothing
 * @param testCommand the command that checks the configuration ({@code null} for {@code nginx -t})
 * @param reloadCommand the command that reloads nginx (as for the switch)
 * @param sudo whether to act through {@code sudo -n}
 * @param sitePath the plan's site file, for a restore without {@code switched}
 * @param enabledPath the plan's link in sites-enabled, for a restore without {@code switched}
 */
public record ProxyRestoreRequest(
    String step,
    String hostName,
    Host host,
    ProxySwitchResult switched,
    String testCommand,
    String reloadCommand,
    boolean sudo,
    String sitePath,
    String enabledPath) {}
