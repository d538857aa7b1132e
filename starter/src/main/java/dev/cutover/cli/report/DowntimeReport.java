package dev.cutover.cli.report;

import java.time.Duration;
import java.time.Instant;

/**
 * The downtime window: from the first step of the downtime span until traffic was on the new host
 * and its checks passed, by the workflow's clock.
 *
 * @param endedAt {@code null} while the service is still down
 * @param measured the workflow's own measure (its result), or the span of the window
 * @param budget the plan's budget; {@code null} without one
 * @param budgetExceeded whether the budget timer fired or the measure is over the budget
 */
public record DowntimeReport(
    Instant startedAt,
    Instant endedAt,
    Duration measured,
    Duration budget,
    boolean budgetExceeded) {}
