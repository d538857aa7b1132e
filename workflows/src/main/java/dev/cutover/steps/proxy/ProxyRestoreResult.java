package dev.cutover.steps.proxy;

/**
 * The site is as it was before the switch.
 *
 * @param sitePath the site file
 * @param exists whether the site file exists now
 * @param sha256 the SHA-256 of its content now; {@code null} when it does not exist
 * @param changed whether anything was written and nginx reloaded (false: already restored)
 */
public record ProxyRestoreResult(String sitePath, boolean exists, String sha256, boolean changed) {}
