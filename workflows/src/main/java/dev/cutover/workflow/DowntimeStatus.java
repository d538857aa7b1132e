package dev.cutover.workflow;

import java.time.Duration;
import java.time.Instant;

/**
 * The downtime clock: from the first downtime step until traffic is on the new host and checks
 * pass.
 */
public record DowntimeStatus(
    Instant startedAt,
    Instant endedAt,
    Duration budget,
    Duration measured,
    boolean budgetExceeded) {}
