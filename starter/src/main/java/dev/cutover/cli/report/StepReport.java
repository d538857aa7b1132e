package dev.cutover.cli.report;

import java.util.List;

/**
 * One step of the plan and everything the history shows it did.
 *
 * @param phase the phase it belongs to
 * @param name its name in the plan
 * @param kind its kind (run, rsync, wait, ...)
 * @param place where it acts: a host, from → to, databases
 * @param description the plan's description
 * @param state its last state: pending, running, succeeded, failed, blocked, skipped, undone, undo
 *     failed
 * @param executions every activity (or wait) it ran, undo included, in order
 */
public record StepReport(
    String phase,
    String name,
    String kind,
    String place,
    String description,
    String state,
    List<StepExecution> executions) {}
