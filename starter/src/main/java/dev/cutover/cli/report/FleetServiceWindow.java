package dev.cutover.cli.report;

import java.time.Duration;
import java.time.Instant;

/**
 * One service's downtime window, from its own history.
 *
 * @param outcome the member's outcome as its report says ({@code completed}, {@code aborted}, ...),
 *     or {@code not started}
 * @param startedAt the first downtime step's start; {@code null} when it never went down
 * @param endedAt when traffic was on the new host; {@code null} while down or never down
 * @param downtime the window as the member's workflow measured it; {@code null} without one
 * @param note why the window is missing or partial, or empty
 */
public record FleetServiceWindow(
    String name,
    String wave,
    String workflowId,
    String outcome,
    Instant startedAt,
    Instant endedAt,
    Duration downtime,
    String note) {}
