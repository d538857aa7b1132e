package dev.cutover.workflow;

import java.time.Duration;
import java.util.List;

/** The end of a migration: how it ended, the downtime measured, and every step's last state. */
public record MigrationResult(
    String migration,
    MigrationState outcome,
    Duration downtime,
    List<StepStatus> steps,
    String abortReason) {}
