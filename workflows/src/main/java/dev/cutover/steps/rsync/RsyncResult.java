package dev.cutover.steps.rsync;

/**
 * rsync's statistics for one run. Presync rounds record them so the final sync's duration can be
 * predicted before the downtime gate.
 *
 * @param filesTransferred regular files whose content was sent
 * @param bytesTransferred bytes of file content sent (before compression)
 * @param totalSize total size in bytes of the source tree
 * @param durationMillis how long the transfer took
 * @param changedFiles every item rsync changed on the target: created, updated, deleted, or with
 *     changed attributes
 */
public record RsyncResult(
    long filesTransferred,
    long bytesTransferred,
    long totalSize,
    long durationMillis,
    long changedFiles) {}
