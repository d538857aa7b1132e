package dev.cutover.cli.report;

import java.time.Duration;
import java.time.Instant;

/**
 * A gate and its approval.
 *
 * @param before the phase it opens before
 * @param state pending (never opened), open, approved, or closed without approval
 * @param openedAt when the workflow opened it
 * @param approvedAt when the approval was accepted
 * @param waited from opening to approval (or to now, while open)
 * @param by who the payload says approved
 * @param identity who Temporal recorded on the signal or update event
 * @param comment the approver's comment
 * @param via signal or update
 */
public record GateReport(
    String name,
    String before,
    String description,
    String state,
    Instant openedAt,
    Instant approvedAt,
    Duration waited,
    String by,
    String identity,
    String comment,
    String via) {}
