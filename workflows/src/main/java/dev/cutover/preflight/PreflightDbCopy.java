package dev.cutover.preflight;

import dev.cutover.steps.postgres.PgEndpoint;

/**
 * A copy with pg_dump and pg_restore (a pg-copy step, or the schema a replication copies first):
 * the tools must be where they run ({@link PgEndpoint#toolsHost}), new enough for the source, and
 * reach both servers from there; the target's version must not be older than the source's.
 *
 * @param step the step's name in the plan
 * @param sourceName the source database's name in the plan
 * @param source the source database
 * @param targetName the target database's name in the plan
 * @param target the target database
 * @param toolsHost the plan's host the tools run on; {@code null} for the worker's machine
 * @param toolsHostDefinition that host, as activities need it; {@code null} for the worker's
 *     machine
 */
public record PreflightDbCopy(
    String step,
    String sourceName,
    PgEndpoint source,
    String targetName,
    PgEndpoint target,
    String toolsHost,
    dev.cutover.plan.Host toolsHostDefinition) {}
