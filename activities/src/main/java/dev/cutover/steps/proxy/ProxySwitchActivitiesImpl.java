package dev.cutover.steps.proxy;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Runs {@code proxy-switch} steps: the old host's nginx site is replaced by one that proxies to the
 * new host, and the undo puts it back.
 *
 * <p>The previous site is kept as {@code SITE.cutover-STEP.orig} (a copy with its mode and owner),
 * made only if no such backup exists yet, so a retry never saves the proxy site over the original;
 * when there was no site, an empty {@code SITE.cutover-STEP.absent} says so, and an empty {@code
 * SITE.cutover-STEP.link} says the switch created the sites-enabled link, for the same reason. The
 * site is written in place (its mode, owner and any link to it stay) from standard input, then
 * {@code nginx -t} runs; if it refuses, the previous site and link are put back before the step
 * fails, so nginx never reloads a configuration it refused.
 *
 * <p>A site that already holds exactly the rendered text is not written again ({@code
 * changed=false}); the test and the reload still run, because a retry cannot tell whether the
 * attempt that wrote it got as far as the reload, and reloading an unchanged configuration is
 * harmless.
 *
 * <p>The undo works from the switch's result; when the switch returned none (it failed, or an abort
 * cut it short), from the backup and markers alone, recognising the site the switch wrote by its
 * first line, which names the step. Either way the backup and markers are removed only after nginx
 * reloaded, so a failed undo can run again.
 *
 * <p>A site kept in {@code sites-available} (with an {@code enabledPath} link) or {@code
 * conf.d/NAME.conf} has its backup and markers beside it; a site kept as a plain file in {@code
 * sites-enabled}, where nginx loads every file, has them as hidden files there ({@link
 * SitePaths#traceBase}), which nginx's include skips.
 */
public class ProxySwitchActivitiesImpl implements ProxySwitchActivities {
  private static final String EMPTY_SHA256 = sha256(new byte[0]);
  private final HostShells shells;

  public ProxySwitchActivitiesImpl(HostShells shells) {
    this.shells = shells;
  }

  @Override
  public ProxySwitchResult switchToNew(ProxySwitchRequest request) {
    return ShellFailures.inStep(request.step(), () -> doSwitch(request));
  }

  @Override
  public ProxyRestoreResult restore(ProxyRestoreRequest request) {
    return ShellFailures.inStep(request.step(), () -> doRestore(request));
  }

  // --- switch
  // -------------------------------------------------------------------------------------

  private ProxySwitchResult doSwitch(ProxySwitchRequest r) {
    String where = "step " + r.step() + " on host " + r.hostName();
    path(where, "site", r.sitePath(), true);
    path(where, "enabledLink", r.enabledPath(), false);
    String content;
    try {
      content = NginxSite.render(r);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": " + e.getMessage(), CutoverErrors.INVALID_CONFIG);
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    String sha = sha256(bytes);
    SitePaths paths = SitePaths.of(r.sitePath(), r.step(), r.enabledPath());
    NginxHost nginx = new NginxHost(shells.shell(r.hostName(), r.host()), r.sudo(), where);

    SiteState seen = nginx.inspect(paths, r.step());
    if (!seen.nginxInstalled() && (r.testCommand() == null || r.reloadCommand() == null)) {
      throw nginx.missingNginx();
    }
    if (seen.link().startsWith("other") || seen.link().equals("notalink")) {
      throw ApplicationFailure.newNonRetryableFailure(
          where
              + ": enabledLink "
              + r.enabledPath()
              + (seen.link().equals("notalink")
                  ? " is a plain file, not a link to the site "
                      + r.sitePath()
                      + "; if it is the site nginx loads, give it as site and leave out "
                      + "enabledLink"
                  : " links to "
                      + seen.link().substring("other ".length())
                      + ", not to the site "
                      + r.sitePath()
                      + "; give the file it links to as site, or fix enabledLink"),
          CutoverErrors.STATE_CONFLICT);
    }
    boolean previousExisted;
    String previousSha;
    String backupPath;
    if (seen.backupExists()) {
      previousExisted = true;
      previousSha = seen.backupSha256();
      backupPath = paths.backup();
    } else if (seen.absentMarker()) {
      previousExisted = false;
      previousSha = null;
      backupPath = null;
    } else if (seen.siteExists()) {
      // Either saved as the backup below, or already the proxy site without this step's doing.
      previousExisted = true;
      previousSha = seen.siteSha256();
      backupPath = seen.siteHolds(sha) ? null : paths.backup();
    } else {
      previousExisted = false;
      previousSha = null;
      backupPath = null;
    }
    boolean linkNeeded = seen.link().equals("absent");
    boolean linkCreated = seen.linkMarker() || linkNeeded;

    if (seen.siteHolds(sha)) {
      if (linkNeeded) {
        nginx.run(
            paths.assignments() + ": > \"$k\" && ln -s -- \"$s\" \"$l\"",
            null,
            "linking " + r.enabledPath());
      }
      ShellResult test = nginx.test(r.testCommand());
      if (!test.ok()) {
        if (linkNeeded) {
          nginx.run(
              paths.assignments() + "rm -f -- \"$l\" \"$k\"", null, "removing " + r.enabledPath());
        }
        throw nginx.refused(
            r.testCommand(),
            test,
            r.sitePath()
                + " already held the proxy site, so it may not be the cause; "
                + "nothing was changed and nginx was not reloaded");
      }
      nginx.reload(r.reloadCommand());
      return new ProxySwitchResult(
          r.sitePath(),
          previousExisted,
          previousSha,
          backupPath,
          r.enabledPath(),
          linkCreated,
          sha,
          linkNeeded);
    }

    String write =
        paths.assignments()
            + "if [ -e \"$s\" ]; then\n"
            + "  if [ ! -e \"$b\" ] && [ ! -e \"$a\" ]; then cp -p -- \"$s\" \"$b.part\" && mv -f -- \"$b.part\" \"$b\" || exit 1; fi\n"
            + "elif [ ! -e \"$b\" ] && [ ! -e \"$a\" ]; then\n"
            + "  : > \"$a\" || exit 1\n"
            + "fi\n"
            + "cat > \"$s\" || exit 1\n"
            + (linkNeeded ? ": > \"$k\" && ln -s -- \"$s\" \"$l\" || exit 1\n" : "");
    nginx.run(write, bytes, "writing " + r.sitePath());

    ShellResult test = nginx.test(r.testCommand());
    if (!test.ok()) {
      // Back to exactly what was there before the switch, and no trace of it: a corrected plan
      // starts afresh.
      String rollback =
          paths.assignments()
              + "if [ -e \"$b\" ]; then cat -- \"$b\" > \"$s\" && rm -f -- \"$b\" || exit 1\n"
              + "else rm -f -- \"$s\" \"$a\" || exit 1; fi\n"
              + "if [ -e \"$k\" ]; then rm -f -- \"$l\" \"$k\" || exit 1; fi\n";
      nginx.run(
          rollback,
          null,
          "putting the previous " + r.sitePath() + " back after the configuration test failed");
      throw nginx.refused(
          r.testCommand(),
          test,
          "the previous " + r.sitePath() + " was put back and nginx was not reloaded");
    }
    nginx.reload(r.reloadCommand());
    return new ProxySwitchResult(
        r.sitePath(),
        previousExisted,
        previousSha,
        backupPath,
        r.enabledPath(),
        linkCreated,
        sha,
        true);
  }

  // --- restore
  // ------------------------------------------------------------------------------------

  private ProxyRestoreResult doRestore(ProxyRestoreRequest r) {
    String where = "step " + r.step() + " on host " + r.hostName();
    ProxySwitchResult switched = r.switched();
    if (switched == null) {
      return restoreFromHost(r, where);
    }
    if (switched.sitePath() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": nothing to restore: the switch recorded no site",
          CutoverErrors.INVALID_CONFIG);
    }
    String site = switched.sitePath();
    path(where, "site", site, true);
    path(where, "enabledLink", switched.enabledPath(), false);
    SitePaths paths = SitePaths.of(site, r.step(), switched.enabledPath());
    NginxHost nginx = new NginxHost(shells.shell(r.hostName(), r.host()), r.sudo(), where);
    SiteState seen = nginx.inspect(paths, r.step());
    if (!seen.nginxInstalled() && (r.testCommand() == null || r.reloadCommand() == null)) {
      throw nginx.missingNginx();
    }
    boolean dropLink = (switched.enabledLinkCreated() || seen.linkMarker()) && seen.linkPresent();
    String removeLink =
        "if [ -e \"$k\" ] || [ "
            + switched.enabledLinkCreated()
            + " = true ]; then "
            + "if [ -n \"$l\" ] && [ -L \"$l\" ]; then rm -f -- \"$l\" || exit 1; fi; rm -f -- \"$k\" || exit 1; fi\n";
    String cleanUp = "rm -f -- \"$b\" \"$a\" \"$k\" || exit 1\n";

    String script;
    boolean writes;
    if (switched.previousExisted()) {
      if (seen.backupExists()) {
        boolean ours = seen.siteHolds(switched.sha256()) || seen.siteHolds(seen.backupSha256());
        if (!ours) {
          throw edited(where, site, paths.backup());
        }
        writes = !seen.siteHolds(seen.backupSha256()) || dropLink;
        script = paths.assignments() + removeLink + "cat -- \"$b\" > \"$s\" || exit 1\n";
      } else if (switched.backupPath() == null || seen.siteHolds(switched.previousSha256())) {
        // Nothing of the old site was replaced by this step, or it is back already.
        if (!dropLink && !seen.anyTrace()) {
          return new ProxyRestoreResult(site, seen.siteExists(), seen.siteSha256(), false);
        }
        // A marker left means an earlier attempt may have put things back and failed before its
        // reload: reload below.
        writes = dropLink;
        script = paths.assignments() + (dropLink ? removeLink : "");
      } else if (seen.siteHolds(switched.sha256())) {
        throw ApplicationFailure.newNonRetryableFailure(
            where
                + ": cannot put the previous "
                + site
                + " back: its backup "
                + paths.backup()
                + " is gone",
            CutoverErrors.STATE_CONFLICT);
      } else {
        throw edited(where, site, null);
      }
    } else {
      if (seen.siteExists() && !seen.siteHolds(switched.sha256())) {
        throw edited(where, site, null);
      }
      boolean removes = seen.siteExists() || dropLink;
      if (!removes && !seen.anyTrace()) {
        return new ProxyRestoreResult(site, false, null, false);
      }
      // Nothing left to remove but a marker: an earlier attempt removed the site and failed before
      // its reload.
      writes = removes;
      // The link first: a link to a missing file would make nginx -t fail.
      script = paths.assignments() + (removes ? removeLink + "rm -f -- \"$s\" || exit 1\n" : "");
    }

    nginx.run(script, null, "putting the previous " + site + " back");
    ShellResult test = nginx.test(r.testCommand());
    if (!test.ok()) {
      throw nginx.refused(
          r.testCommand(),
          test,
          "the previous "
              + site
              + " is back in place (its backup "
              + paths.backup()
              + " is kept), but nginx was not reloaded and still proxies to the new host until the configuration is fixed");
    }
    nginx.reload(r.reloadCommand());
    nginx.run(paths.assignments() + cleanUp, null, "removing the backup of " + site);
    boolean exists = switched.previousExisted();
    String sha = exists ? (seen.backupExists() ? seen.backupSha256() : seen.siteSha256()) : null;
    return new ProxyRestoreResult(site, exists, sha, writes);
  }

  /**
   * The undo of a switch that returned no result (it failed, or an abort cut it short), from what
   * it left on the host. Before changing anything the switch leaves a trace: the backup or the
   * absent marker before it writes the site, the link marker before it links it; so no trace means
   * it changed nothing. The site it wrote is recognised by its first line naming the step, as the
   * switch's digest is not known here; an empty site counts too, as the switch truncates the file
   * before writing it.
   */
  private ProxyRestoreResult restoreFromHost(ProxyRestoreRequest r, String where) {
    String site = r.sitePath();
    path(where, "site", site, true);
    path(where, "enabledLink", r.enabledPath(), false);
    SitePaths paths = SitePaths.of(site, r.step(), r.enabledPath());
    NginxHost nginx = new NginxHost(shells.shell(r.hostName(), r.host()), r.sudo(), where);
    // A missing directory is no error here: a switch that failed on it wrote nothing.
    SiteState seen = nginx.inspect(paths, r.step(), false);
    if (!seen.anyTrace()) {
      return new ProxyRestoreResult(site, seen.siteExists(), seen.siteSha256(), false);
    }
    if (!seen.nginxInstalled() && (r.testCommand() == null || r.reloadCommand() == null)) {
      throw nginx.missingNginx();
    }
    if (seen.linkMarker() && r.enabledPath() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          where
              + ": "
              + paths.linkMarker()
              + " says the switch linked "
              + site
              + " from sites-enabled, but the undo names no enabledPath; give the step the enabledLink it switched with",
          CutoverErrors.INVALID_CONFIG);
    }
    boolean written = seen.siteHeader() || seen.siteHolds(EMPTY_SHA256);
    // Only the link the switch made, and only while it still points to the site.
    boolean dropLink = seen.linkMarker() && seen.linkPresent();
    String removeLink = dropLink ? "rm -f -- \"$l\" || exit 1\n" : "";

    String script;
    boolean writes;
    boolean exists;
    String sha;
    String undone;
    if (seen.backupExists()) {
      boolean back = seen.siteHolds(seen.backupSha256());
      if (!back && !written) {
        throw edited(where, site, paths.backup());
      }
      writes = !back || dropLink;
      script =
          paths.assignments() + removeLink + (back ? "" : "cat -- \"$b\" > \"$s\" || exit 1\n");
      exists = true;
      sha = seen.backupSha256();
      undone =
          "the previous " + site + " is back in place (its backup " + paths.backup() + " is kept)";
    } else if (seen.absentMarker()) {
      if (seen.siteExists() && !written) {
        throw edited(where, site, null);
      }
      writes = seen.siteExists() || dropLink;
      // The link first: a link to a missing file would make nginx -t fail.
      script = paths.assignments() + removeLink + "rm -f -- \"$s\" || exit 1\n";
      exists = false;
      sha = null;
      undone =
          site + ", which the switch created, is removed (" + paths.absentMarker() + " is kept)";
    } else {
      // The site already held the proxy site; the switch only linked it.
      writes = dropLink;
      script = paths.assignments() + removeLink;
      exists = seen.siteExists();
      sha = seen.siteSha256();
      undone =
          "the link "
              + r.enabledPath()
              + " the switch created is removed ("
              + paths.linkMarker()
              + " is kept)";
    }
    // Test and reload even when nothing is left to write: an earlier attempt may have written and
    // then failed before its reload, and the traces stay until one succeeds.
    if (!script.equals(paths.assignments())) {
      nginx.run(script, null, "putting the previous " + site + " back");
    }
    ShellResult test = nginx.test(r.testCommand());
    if (!test.ok()) {
      throw nginx.refused(
          r.testCommand(),
          test,
          undone
              + ", but nginx was not reloaded and still proxies to the new host "
              + "until the configuration is fixed");
    }
    nginx.reload(r.reloadCommand());
    nginx.run(
        paths.assignments() + "rm -f -- \"$b\" \"$a\" \"$k\" || exit 1\n",
        null,
        "removing the backup and markers of " + site);
    return new ProxyRestoreResult(site, exists, sha, writes);
  }

  private static ApplicationFailure edited(String where, String site, String backup) {
    return ApplicationFailure.newNonRetryableFailure(
        where
            + ": "
            + site
            + " was changed since the switch (it is neither "
            + "the proxy site nor the previous site); not overwritten"
            + (backup != null ? "; the previous site is at " + backup : ""),
        CutoverErrors.STATE_CONFLICT);
  }

  // --- helpers
  // ------------------------------------------------------------------------------------

  private static void path(String where, String field, String path, boolean required) {
    if (path == null && !required) {
      return;
    }
    if (path == null
        || !path.startsWith("/")
        || path.endsWith("/")
        || path.chars().anyMatch(Character::isISOControl)) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": " + field + " needs an absolute file path, not " + path,
          CutoverErrors.INVALID_CONFIG);
    }
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
