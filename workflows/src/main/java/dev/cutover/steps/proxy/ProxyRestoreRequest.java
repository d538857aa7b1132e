package dev.cutover.steps.proxy;

import dev.cutover.plan.Host;

/**
 * The undo of a switch.
 *
 * @param step the step's name in the plan
 * @param hostName the old host's name in the plan
 * @param host the old host
 * @param switched the result of the switch being undone
 * @param testCommand the command that checks the configuration ({@code null} for {@code nginx -t})
 * @param reloadCommand the command that reloads nginx (as for the switch)
 * @param sudo whether to act through {@code sudo -n}
 */
public record ProxyRestoreRequest(
    String step,
    String hostName,
    Host host,
    ProxySwitchResult switched,
    String testCommand,
    String reloadCommand,
    boolean sudo) {}
