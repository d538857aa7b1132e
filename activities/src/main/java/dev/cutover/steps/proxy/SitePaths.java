package dev.cutover.steps.proxy;

/**
 * The files a {@code proxy-switch} step works with, all derived from the site and the step's name,
 * so a retry and the undo find what an earlier attempt left.
 *
 * @param site the site file
 * @param backup the previous site, {@code SITE.cutover-STEP.orig}; made once, never overwritten
 * @param absentMarker an empty {@code SITE.cutover-STEP.absent}: there was no site before the switch
 * @param linkMarker an empty {@code SITE.cutover-STEP.link}: the switch created the sites-enabled link
 * @param enabled the sites-enabled link; {@code null} when the site is included directly
 */
record SitePaths(String site, String backup, String absentMarker, String linkMarker, String enabled) {

  static SitePaths of(String site, String step, String enabled) {
    String base = site + ".cutover-" + NginxSite.pathPart(step);
    return new SitePaths(site, base + ".orig", base + ".absent", base + ".link", enabled);
  }

  /** Shell variables s, b, a, k and l for the paths, quoted. */
  String assignments() {
    return "s=" + NginxHost.q(site) + "; b=" + NginxHost.q(backup) + "; a=" + NginxHost.q(absentMarker) + "; k="
        + NginxHost.q(linkMarker) + "; l=" + NginxHost.q(enabled) + "\n";
  }
}
