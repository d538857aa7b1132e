package dev.cutover.steps.service;

/**
 * A service before and after the action, as systemd names the states ({@code active}, {@code
 * inactive}, {@code failed}; {@code enabled}, {@code disabled}); {@code null} where a custom
 * service has no such state.
 *
 * @param unit the unit, or {@code null} with custom commands
 * @param action the action applied
 * @param previousActiveState the active state before
 * @param previousEnabledState the enabled state before
 * @param activeState the active state after
 * @param enabledState the enabled state after
 * @param changed whether the action changed anything (false: the service was already there)
 * @param durationMillis how long the action and its verification took
 */
public record ServiceResult(
    String unit,
    ServiceAction action,
    String previousActiveState,
    String previousEnabledState,
    String activeState,
    String enabledState,
    boolean changed,
    long durationMillis) {}
