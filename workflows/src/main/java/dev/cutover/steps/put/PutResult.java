package dev.cutover.steps.put;

/**
 * What was there before and what is there now; the undo needs it. Hashes only, never content, so a
 * secret file's content stays out of the history.
 *
 * @param path the file's path
 * @param previousExisted whether the file existed before
 * @param previousSha256 the SHA-256 of its previous content; {@code null} when it did not exist
 * @param previousMode its previous mode in octal; {@code null} when it did not exist
 * @param previousOwner its previous {@code user:group}; {@code null} when it did not exist
 * @param backupPath where the previous file was saved on the host; {@code null} when it did not
 *     exist
 * @param sha256 the SHA-256 of the content written
 * @param changed whether anything was written (false: the file was already so)
 */
public record PutResult(
    String path,
    boolean previousExisted,
    String previousSha256,
    String previousMode,
    String previousOwner,
    String backupPath,
    String sha256,
    boolean changed) {}
