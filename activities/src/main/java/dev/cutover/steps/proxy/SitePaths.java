package dev.cutover.steps.proxy;

/**
 * The files a {@code proxy-switch} step works with, all derived from the site and the step's name,
 * so a retry and the undo find what an earlier attempt left.
 *
 * @param site the site file
 * @param backup the previous site, {@code SITE.cutover-STEP.orig}; made once, never overwritten
 *     (for a site kept in {@code sites-enabled}, a hidden {@code .NAME.cutover-STEP.orig} beside
 *     it: {@link #traceBase})
 * @param absentMarker an empty {@code SITE.cutover-STEP.absent}: there was no site before the
 *     switch
 * @param linkMarker an empty {@code SITE.cutover-STEP.link}: the switch created the sites-enabled
 *     link
 * @param enabled the sites-enabled link; {@code null} when the site is included directly
 */
record SitePaths(
    String site, String backup, String absentMarker, String linkMarker, String enabled) {

  static SitePaths of(String site, String step, String enabled) {
    String base = traceBase(site) + ".cutover-" + NginxSite.pathPart(step);
    return new SitePaths(site, base + ".orig", base + ".absent", base + ".link", enabled);
  }

  /**
   * What the backup and markers of a site are named after. nginx loads every file in {@code
   * sites-enabled} ({@code include sites-enabled/*}), so a backup kept there beside a site kept as
   * a plain file would be loaded too; but the {@code *} of nginx's include (glob(3) without
   * GLOB_PERIOD) skips names that begin with a dot, so the traces of such a site are hidden files.
   * Elsewhere they keep the names earlier versions gave them, so an undo finds what they left.
   */
  static String traceBase(String site) {
    int slash = site.lastIndexOf('/');
    if (slash > 0 && site.substring(0, slash).endsWith("/" + ENABLED_DIRECTORY)) {
      return site.substring(0, slash + 1) + "." + site.substring(slash + 1);
    }
    return site;
  }

  /** The directory whose every file nginx loads, on Debian and its derivatives. */
  static final String ENABLED_DIRECTORY = "sites-enabled";

  /** Shell variables s, b, a, k and l for the paths, quoted. */
  String assignments() {
    return "s="
        + NginxHost.q(site)
        + "; b="
        + NginxHost.q(backup)
        + "; a="
        + NginxHost.q(absentMarker)
        + "; k="
        + NginxHost.q(linkMarker)
        + "; l="
        + NginxHost.q(enabled)
        + "\n";
  }
}
