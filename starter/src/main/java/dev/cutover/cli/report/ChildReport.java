package dev.cutover.cli.report;

import java.time.Instant;

/**
 * A child workflow the migration started; its steps are folded into the report when its history was
 * read.
 */
public record ChildReport(
    String workflowId,
    String runId,
    String type,
    Instant startedAt,
    Instant endedAt,
    String outcome) {}
