package dev.cutover.steps.proxy;

/**
 * What the switch found and did; the undo needs it.
 *
 * @param sitePath the site file
 * @param previousExisted whether the site file existed before
 * @param previousSha256 the SHA-256 of its previous content; {@code null} when it did not exist
 * @param backupPath where the previous content was saved on the host; {@code null} when it did not
 *     exist
 * @param enabledPath the link in {@code sites-enabled}, if any
 * @param enabledLinkCreated whether the switch created that link
 * @param sha256 the SHA-256 of the site written
 * @param changed whether anything was written and nginx reloaded (false: the site was already in
 *     place)
 */
public record ProxySwitchResult(
    String sitePath,
    boolean previousExisted,
    String previousSha256,
    String backupPath,
    String enabledPath,
    boolean enabledLinkCreated,
    String sha256,
    boolean changed) {}
