package dev.cutover.steps.proxy;

/**
 * The site file, its backup, the step's markers and the sites-enabled link as the host shows them.
 *
 * @param siteExists whether the site file exists
 * @param siteSha256 the SHA-256 of its content; {@code null} when it does not exist
 * @param siteHeader whether the site's first line is the header the step writes ({@link
 *     NginxSite#header})
 * @param backupExists whether the step's backup of the previous site exists
 * @param backupSha256 the SHA-256 of the backup; {@code null} when it does not exist
 * @param absentMarker whether the step's marker saying "there was no site before" exists
 * @param linkMarker whether the step's marker saying "the switch created the link" exists
 * @param link the link's state: {@code none} (no enabledPath), {@code absent}, {@code ours} (points
 *     to the site), {@code other TARGET} or {@code notalink}
 * @param nginxInstalled whether an {@code nginx} program is on the host
 */
record SiteState(
    boolean siteExists,
    String siteSha256,
    boolean siteHeader,
    boolean backupExists,
    String backupSha256,
    boolean absentMarker,
    boolean linkMarker,
    String link,
    boolean nginxInstalled) {

  boolean siteHolds(String sha256) {
    return siteExists && siteSha256.equals(sha256);
  }

  /** Whether the step's backup or a marker is on the host: a switch began writing. */
  boolean anyTrace() {
    return backupExists || absentMarker || linkMarker;
  }

  boolean linkPresent() {
    return link.equals("ours");
  }
}
