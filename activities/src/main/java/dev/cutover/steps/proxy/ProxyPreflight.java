package dev.cutover.steps.proxy;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.ShellResult;
import dev.cutover.preflight.PreflightCheck;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Preflight of the {@code proxy-switch} steps, through the step's own login and sudo, before
 * anything changes: the site's directory exists and can be written, the site (or the plain file
 * nginx loads) is a readable file or does not exist yet, the {@code enabledLink} points to the site
 * or can be created, nginx is there, and the step's configuration test passes now. Reads only. Each
 * failed check names the step, the host, the path and the plan's field.
 */
public class ProxyPreflight {
  private final HostShells shells;

  public ProxyPreflight(HostShells shells) {
    this.shells = shells;
  }

  /**
   * Checks each switch, giving each result to {@code out}; {@code beat} is called between steps.
   */
  public void check(
      List<ProxySwitchRequest> switches, Consumer<PreflightCheck> out, Runnable beat) {
    for (ProxySwitchRequest r : switches) {
      try {
        check(r, out);
      } catch (ApplicationFailure f) {
        out.accept(
            new PreflightCheck(
                r.hostName(), "nginx site for " + r.step(), false, PreflightCheck.typed(f)));
      }
      beat.run();
    }
  }

  private void check(ProxySwitchRequest r, Consumer<PreflightCheck> out) {
    String where = "step " + r.step() + " on host " + r.hostName();
    NginxHost nginx = new NginxHost(shells.shell(r.hostName(), r.host()), r.sudo(), where);
    SitePaths paths = SitePaths.of(r.sitePath(), r.step(), r.enabledPath());
    ShellResult probe = nginx.read(paths.assignments() + SCRIPT);
    Map<String, String> seen = new HashMap<>();
    probe
        .stdout()
        .lines()
        .forEach(
            line -> {
              int space = line.indexOf(' ');
              if (space > 0) {
                seen.put(line.substring(0, space), line.substring(space + 1));
              }
            });
    if (!probe.ok() || !seen.containsKey("site") || !seen.containsKey("dir")) {
      throw nginx.failure("reading " + r.sitePath(), probe);
    }
    String dir = seen.get("dir");
    String site = seen.get("site");
    String siteCheck = "nginx site for " + r.step();
    String siteField = where + ": site " + r.sitePath();
    if (dir.startsWith("missing ")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              siteCheck,
              false,
              siteField
                  + ": its directory "
                  + dir.substring(8)
                  + " does not exist; create it, or fix the step's site (a site kept as a plain file in sites-enabled is given as site, "
                  + "without enabledLink)"));
    } else if (dir.startsWith("readonly ")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              siteCheck,
              false,
              siteField
                  + ": its directory "
                  + dir.substring(9)
                  + " cannot be written by this login, and the previous site is kept there"
                  + (r.sudo() ? "" : "; set sudo on the step or the host")));
    } else if (site.equals("notafile")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              siteCheck,
              false,
              siteField + " exists and is not a regular file; the site is a file"));
    } else if (site.equals("unreadable")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              siteCheck,
              false,
              siteField
                  + " cannot be read by this login"
                  + (r.sudo() ? "" : "; set sudo on the step or the host")));
    } else if (site.equals("absent")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              siteCheck,
              true,
              r.sitePath()
                  + " does not exist yet: the switch creates it, "
                  + "the undo removes it"));
    } else {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              siteCheck,
              true,
              r.sitePath()
                  + " is a readable file of "
                  + site.substring(8)
                  + " bytes, kept by the switch and put back by the undo"));
    }
    if (r.enabledPath() != null) {
      link(r, where, seen.getOrDefault("link", "unknown"), out);
    }
    String nginxLine = seen.getOrDefault("nginx", "absent");
    if (nginxLine.equals("absent") && (r.testCommand() == null || r.reloadCommand() == null)) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              "nginx for " + r.step(),
              false,
              nginx.missingNginx().getOriginalMessage()));
      return;
    }
    String command = r.testCommand() == null ? NginxHost.DEFAULT_TEST : r.testCommand();
    ShellResult test = nginx.test(r.testCommand());
    out.accept(
        test.ok()
            ? new PreflightCheck(
                r.hostName(), "nginx -t for " + r.step(), true, command + " passes")
            : new PreflightCheck(
                r.hostName(),
                "nginx -t for " + r.step(),
                false,
                where
                    + ": testCommand "
                    + command
                    + " fails before anything changed, and the switch checks its site with it: "
                    + NginxHost.errorLines(test.outputTail())
                    + (test.outputTail().contains("Permission denied") && !r.sudo()
                        ? "; set sudo on the step or the host"
                        : "")));
  }

  private static void link(
      ProxySwitchRequest r, String where, String link, Consumer<PreflightCheck> out) {
    String check = "nginx link for " + r.step();
    String field = where + ": enabledLink " + r.enabledPath();
    if (link.equals("ours")) {
      out.accept(
          new PreflightCheck(
              r.hostName(), check, true, r.enabledPath() + " points to " + r.sitePath()));
    } else if (link.equals("absent")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              check,
              true,
              r.enabledPath()
                  + " does not exist yet: the switch creates it, the undo "
                  + "removes it"));
    } else if (link.startsWith("nodir ")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              check,
              false,
              field + ": its directory " + link.substring(6) + " does not exist"));
    } else if (link.startsWith("readonly ")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              check,
              false,
              field
                  + " does not exist yet, and its directory "
                  + link.substring(9)
                  + " cannot be written by this login"
                  + (r.sudo() ? "" : "; set sudo on the step or the host")));
    } else if (link.startsWith("other ")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              check,
              false,
              field
                  + " links to "
                  + link.substring(6)
                  + ", not to the site "
                  + r.sitePath()
                  + "; give the file it links to as site, or fix enabledLink"));
    } else if (link.equals("notalink")) {
      out.accept(
          new PreflightCheck(
              r.hostName(),
              check,
              false,
              field
                  + " is a plain file, not a link to the site "
                  + r.sitePath()
                  + "; if it is the site nginx loads, give it as site and leave out enabledLink"));
    } else {
      out.accept(
          new PreflightCheck(
              r.hostName(), check, false, field + ": its state could not be read (" + link + ")"));
    }
  }

  /**
   * Reads the state of the step's paths ({@link SitePaths#assignments}), one line each: {@code dir
   * ok}, {@code dir missing D}, {@code dir readonly D}; {@code site absent}, {@code site notafile},
   * {@code site unreadable}, {@code site present SIZE}; {@code link} as {@link NginxHost#inspect}
   * says it, or {@code link nodir D} or {@code link readonly D}; {@code nginx present|absent}.
   */
  static final String SCRIPT =
      ""
          + "d=$(dirname -- \"$s\")\n"
          + "if [ ! -d \"$d\" ]; then echo \"dir missing $d\"; elif [ ! -w \"$d\" ]; then echo \"dir readonly $d\"; else echo 'dir ok'; fi\n"
          + "if [ -e \"$s\" ]; then\n"
          + "  if [ ! -f \"$s\" ]; then echo 'site notafile'\n"
          + "  elif [ ! -r \"$s\" ] || ! head -c 0 -- \"$s\" 2>/dev/null; then echo 'site unreadable'\n"
          + "  else echo \"site present $(wc -c < \"$s\" | tr -d ' ')\"; fi\n"
          + "else echo 'site absent'; fi\n"
          + "if [ -n \"$l\" ]; then\n"
          + "  if [ -L \"$l\" ]; then\n"
          + "    if [ \"$(readlink -f -- \"$l\")\" = \"$(readlink -f -- \"$s\")\" ]; then echo 'link ours'; else echo \"link other $(readlink -- \"$l\")\"; fi\n"
          + "  elif [ -e \"$l\" ]; then echo 'link notalink'\n"
          + "  elif [ ! -d \"$(dirname -- \"$l\")\" ]; then echo \"link nodir $(dirname -- \"$l\")\"\n"
          + "  elif [ ! -w \"$(dirname -- \"$l\")\" ]; then echo \"link readonly $(dirname -- \"$l\")\"\n"
          + "  else echo 'link absent'; fi\n"
          + "fi\n"
          + "if command -v nginx >/dev/null 2>&1; then echo 'nginx present'; else echo 'nginx absent'; fi\n";
}
