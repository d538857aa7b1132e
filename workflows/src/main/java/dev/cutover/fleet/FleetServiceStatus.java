package dev.cutover.fleet;

import java.time.Instant;

/**
 * One service as the fleet sees it.
 *
 * @param state {@code waiting} (not started: its wave, dependencies or the limit), {@code running},
 *     {@code at-gate}, {@code blocked}, {@code completed}, {@code aborted}, {@code failed}, {@code
 *     held} (ended past its point of no return), {@code skipped} (never started: a dependency
 *     failed or the fleet was aborted)
 * @param waitingFor what the member waits for ({@code gate:NAME}, {@code decision:STEP}), or why it
 *     has not started
 */
public record FleetServiceStatus(
    String name,
    String wave,
    String workflowId,
    String state,
    String phase,
    String waitingFor,
    String detail,
    Instant startedAt,
    Instant endedAt) {}
