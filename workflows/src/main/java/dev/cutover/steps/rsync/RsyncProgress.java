package dev.cutover.steps.rsync;

/**
 * Heartbeat details of a running rsync; the Temporal UI shows them on the pending activity and
 * {@code cutover status --watch} renders them.
 *
 * @param bytes bytes transferred so far
 * @param files files transferred so far
 * @param percent overall progress, 0 to 100, as rsync estimates it
 */
public record RsyncProgress(long bytes, long files, int percent) {}
