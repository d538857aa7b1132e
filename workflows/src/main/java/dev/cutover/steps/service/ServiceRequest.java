package dev.cutover.steps.service;

import dev.cutover.plan.Host;
import java.time.Duration;

/**
 * A service action on a host. With a systemd unit, {@code systemctl} is used; for other services,
 * {@code command} replaces it and {@code checkCommand} verifies the state.
 *
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host
 * @param unit the systemd unit, like {@code app.service}; {@code null} with custom commands
 * @param action what to do
 * @param command a custom command that performs the action, passed to {@code sh -c} as written;
 *     {@code null} to use systemctl
 * @param checkCommand a custom command that exits 0 while the service runs (for enable and disable:
 *     while it is enabled), like a status command; {@code null} to ask systemctl
 * @param settleTimeout how long to wait for the state to be reached ({@code null} for 60s)
 * @param sudo the step's own sudo setting; {@code null} to use the host's
 */
public record ServiceRequest(
    String step,
    String hostName,
    Host host,
    String unit,
    ServiceAction action,
    String command,
    String checkCommand,
    Duration settleTimeout,
    Boolean sudo) {}
