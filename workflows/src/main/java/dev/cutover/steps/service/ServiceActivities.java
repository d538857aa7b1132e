package dev.cutover.steps.service;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code service} step: a systemd unit stopped, started, restarted, enabled or disabled, or
 * custom commands for services that are not systemd units.
 *
 * <p>Implementations must be idempotent (stopping a stopped service or enabling an enabled one
 * succeeds without change), verify that the service reached the state the action asks for, quote
 * the unit name in every shell command, and raise {@link io.temporal.failure.ApplicationFailure}
 * with the types in {@link dev.cutover.steps.CutoverErrors} for non-retryable errors (an unknown
 * unit, systemctl missing, permission denied). A service that does not reach its state in time is
 * retryable.
 */
@ActivityInterface
public interface ServiceActivities {
  /**
   * Applies the action and waits until the service is in the state it asks for. The result keeps
   * the state before, so the undo can put it back with the opposite action.
   */
  @ActivityMethod(name = "ServiceControl")
  ServiceResult control(ServiceRequest request);
}
