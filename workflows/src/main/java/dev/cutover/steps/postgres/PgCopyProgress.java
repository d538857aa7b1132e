package dev.cutover.steps.postgres;

/**
 * Heartbeat details of a running copy; the Temporal UI shows them on the pending activity.
 *
 * @param bytes bytes streamed so far
 * @param tablesDone tables restored so far
 * @param current the object being restored, as pg_restore names it
 */
public record PgCopyProgress(long bytes, int tablesDone, String current) {}
