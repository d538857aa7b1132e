package dev.cutover.steps.put;

/**
 * The file is as it was before the put.
 *
 * @param path the file's path
 * @param exists whether the file exists now
 * @param sha256 the SHA-256 of its content now; {@code null} when it does not exist
 * @param changed whether anything was done (false: already restored)
 */
public record PutRestoreResult(String path, boolean exists, String sha256, boolean changed) {}
