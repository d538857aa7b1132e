package dev.cutover.steps.postgres;

/**
 * The end of a copy.
 *
 * @param bytesTransferred size of the dump streamed from source to target
 * @param tables tables restored
 * @param durationMillis how long dump and restore took together
 * @param sourceVersion the source server's version
 * @param targetVersion the target server's version
 */
public record PgCopyResult(
    long bytesTransferred,
    int tables,
    long durationMillis,
    String sourceVersion,
    String targetVersion) {}
