package dev.cutover.steps.proxy;

import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One host's nginx site files and commands, through the step's shell and sudo: reads the state of
 * the files, runs scripts, the configuration test and the reload, and classifies what fails.
 */
final class NginxHost {
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** Debian puts nginx in /usr/sbin, which a non-root login's PATH often lacks. */
  static final String PATH_PREFIX = "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; export PATH\n";

  static final String DEFAULT_TEST = "nginx -t";

  /**
   * systemd's reload where systemd runs nginx, so the unit's state stays right; nginx's own signal
   * elsewhere.
   */
  static final String DEFAULT_RELOAD =
      "if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; "
          + "then systemctl reload nginx; else nginx -s reload; fi";

  private static final int ERROR_LINES = 10;

  /**
   * A reload parses the configuration and forks workers: well under a second even for big
   * configurations.
   */
  static final Duration RELOAD_TAKES_EFFECT = Duration.ofSeconds(10);

  /**
   * Often enough that the step returns soon after the workers changed; each look is one short
   * script.
   */
  static final Duration RELOAD_POLL = Duration.ofMillis(50);

  private static final Duration WORKERS_TIMEOUT = Duration.ofSeconds(10);

  private final HostShell shell;
  private final boolean sudo;
  private final String where;

  NginxHost(HostShell shell, boolean sudo, String where) {
    this.shell = shell;
    this.sudo = sudo;
    this.where = where;
  }

  /** The files the step works with, in one script; the site's directory must exist. */
  SiteState inspect(SitePaths paths, String step) {
    return inspect(paths, step, true);
  }

  /**
   * The files the step works with, in one script.
   *
   * @param step the step, whose header in the site is looked for
   * @param requireDirectory whether a missing directory of the site is an error; when not, the
   *     files in it read as absent
   */
  SiteState inspect(SitePaths paths, String step, boolean requireDirectory) {
    String script =
        paths.assignments()
            + "hdr="
            + Sh.quote(NginxSite.header(step))
            + "\n"
            + "desc() {\n"
            + "  if [ -e \"$1\" ]; then\n"
            + "    [ -f \"$1\" ] || { echo other; return 0; }\n"
            + "    h=$(sha256sum < \"$1\") || return 1\n"
            + "    echo \"present ${h%% *}\"\n"
            + "  else echo absent; fi\n"
            + "}\n"
            + (requireDirectory
                ? "d=$(dirname -- \"$s\"); [ -d \"$d\" ] || { echo \"$d: No such file or directory\" >&2; exit 1; }\n"
                : "")
            + "printf 'site '; desc \"$s\" || exit 1\n"
            + "if [ -f \"$s\" ] && [ \"$(head -n 1 -- \"$s\")\" = \"$hdr\" ]; then echo 'site-header'; fi\n"
            + "printf 'backup '; desc \"$b\" || exit 1\n"
            + "if [ -e \"$a\" ]; then echo 'absent-marker'; fi\n"
            + "if [ -e \"$k\" ]; then echo 'link-marker'; fi\n"
            + "if [ -z \"$l\" ]; then echo 'link none'\n"
            + "elif [ -L \"$l\" ]; then\n"
            + "  if [ \"$(readlink -f -- \"$l\")\" = \"$(readlink -f -- \"$s\")\" ]; then echo 'link ours'; else echo \"link other $(readlink -- \"$l\")\"; fi\n"
            + "elif [ -e \"$l\" ]; then echo 'link notalink'\n"
            + "else echo 'link absent'; fi\n"
            + "if command -v nginx >/dev/null 2>&1; then echo 'nginx present'; else echo 'nginx absent'; fi\n";
    ShellResult result = exec(script, null);
    if (!result.ok()) {
      throw failure("reading site " + paths.site(), result);
    }
    String siteLine = null;
    String backupLine = null;
    boolean siteHeader = false;
    boolean absentMarker = false;
    boolean linkMarker = false;
    String link = null;
    boolean nginx = false;
    for (String line : result.stdout().split("\n")) {
      if (line.startsWith("site ")) {
        siteLine = line.substring(5).strip();
      } else if (line.startsWith("backup ")) {
        backupLine = line.substring(7).strip();
      } else if (line.equals("site-header")) {
        siteHeader = true;
      } else if (line.equals("absent-marker")) {
        absentMarker = true;
      } else if (line.equals("link-marker")) {
        linkMarker = true;
      } else if (line.startsWith("link ")) {
        link = line.substring(5).strip();
      } else if (line.equals("nginx present")) {
        nginx = true;
      }
    }
    if (siteLine == null || backupLine == null || link == null) {
      throw ApplicationFailure.newFailure(
          where + ": cannot read the state of " + paths.site() + ": " + result.lastLine(),
          CutoverErrors.COMMAND_FAILED);
    }
    String siteSha = sha(siteLine, paths.site());
    String backupSha = sha(backupLine, paths.backup());
    return new SiteState(
        siteSha != null,
        siteSha,
        siteHeader,
        backupSha != null,
        backupSha,
        absentMarker,
        linkMarker,
        link,
        nginx);
  }

  /** Runs a script that changes files; throws a classified failure when it does not succeed. */
  void run(String script, byte[] stdin, String doing) {
    ShellResult result = exec(script, stdin);
    if (!result.ok()) {
      throw failure(doing, result);
    }
  }

  /** Runs a script that only reads; the caller reads its output and exit code. */
  ShellResult read(String script) {
    return exec(script, null);
  }

  /** Runs the configuration test; the caller decides what a refusal means. */
  ShellResult test(String command) {
    return exec(command == null ? DEFAULT_TEST : command, null);
  }

  /**
   * Reloads nginx and returns once it serves the new configuration: nginx's reload only signals the
   * master, so this waits (up to {@link #RELOAD_TAKES_EFFECT}) until a master runs only workers
   * started after the reload ({@link NginxWorkers}). Where no nginx worker can be seen before the
   * reload (nginx not running yet, no {@code /proc}, processes hidden from this login), the reload
   * command's success is all there is to go by. A failure is retried (nginx may be restarting), the
   * files stay as they are.
   */
  void reload(String command) {
    NginxWorkers before = workers();
    ShellResult result = exec(command == null ? DEFAULT_RELOAD : command, null);
    if (!result.ok()) {
      throw failure("reloading nginx", result);
    }
    if (before == null || !before.anyWorkers()) {
      return;
    }
    long deadline = System.nanoTime() + RELOAD_TAKES_EFFECT.toNanos();
    while (true) {
      NginxWorkers now = workers();
      if (now != null && now.reloadedSince(before)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw ApplicationFailure.newFailure(
            where
                + ": nginx was reloaded, but after "
                + RELOAD_TAKES_EFFECT.toSeconds()
                + "s it still serves with the workers it had before (the new configuration is not in effect yet)",
            CutoverErrors.COMMAND_TIMED_OUT);
      }
      try {
        Thread.sleep(RELOAD_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure(
            where + ": interrupted while waiting for nginx's reload", CutoverErrors.COMMAND_FAILED);
      }
    }
  }

  /** The nginx processes on the host, or {@code null} when they cannot be read. */
  private NginxWorkers workers() {
    ShellResult result =
        shell.exec(
            new ShellCommand(
                NginxWorkers.SCRIPT, Map.of(), List.of(), null, sudo, null, WORKERS_TIMEOUT));
    return result.ok() ? NginxWorkers.parse(result.stdout()) : null;
  }

  /**
   * The failure for a configuration test that refused: nginx's own error lines, and what was done.
   */
  ApplicationFailure refused(String command, ShellResult result, String what) {
    if (result.exitCode() == ShellFailures.EXIT_NOT_FOUND
        || result.outputTail().contains("(13: Permission denied)")
        || result.timedOut()) {
      return failure(
          "testing the configuration (" + (command == null ? DEFAULT_TEST : command) + ")", result);
    }
    return ApplicationFailure.newNonRetryableFailureWithCause(
        where
            + ": "
            + (command == null ? DEFAULT_TEST : command)
            + " refuses the configuration; "
            + what
            + ": "
            + errorLines(result.outputTail()),
        CutoverErrors.NGINX_CONFIG_INVALID,
        null,
        result.asRunResult());
  }

  ApplicationFailure missingNginx() {
    return ApplicationFailure.newNonRetryableFailure(
        where
            + ": nginx is not installed on the host (no nginx on its PATH "
            + "or in /usr/sbin); install it (apt-get install nginx) or give the step's testCommand and reloadCommand",
        CutoverErrors.MISSING_TOOL);
  }

  /**
   * nginx's complaints ([emerg], [alert], [crit], [error] and the final "test failed"), not its
   * notices.
   */
  static String errorLines(String output) {
    List<String> lines =
        output
            .lines()
            .filter(
                l ->
                    l.contains("[emerg]")
                        || l.contains("[alert]")
                        || l.contains("[crit]")
                        || l.contains("[error]")
                        || l.contains("test failed"))
            .collect(Collectors.toList());
    if (lines.isEmpty()) {
      lines = output.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
    }
    return String.join("; ", lines.subList(Math.max(0, lines.size() - ERROR_LINES), lines.size()));
  }

  ApplicationFailure failure(String doing, ShellResult result) {
    String out = result.outputTail();
    if (!result.timedOut() && !ShellFailures.sudoRefused(result)) {
      if (ShellFailures.refusedByFileSystem(result)) {
        return ShellFailures.permissionDenied(
            where + ": " + doing + ": " + result.lastLine(), sudo, result);
      }
      if (result.exitCode() == ShellFailures.EXIT_NOT_FOUND) {
        return ApplicationFailure.newNonRetryableFailureWithCause(
            where + ": " + doing + ": a program is missing (" + result.lastLine() + ")",
            CutoverErrors.MISSING_TOOL,
            null,
            result.asRunResult());
      }
      if (out.contains("No such file or directory") || out.contains("Not a directory")) {
        return ApplicationFailure.newNonRetryableFailureWithCause(
            where + ": " + doing + ": " + result.lastLine(),
            CutoverErrors.INVALID_CONFIG,
            null,
            result.asRunResult());
      }
    }
    return ShellFailures.failure(where + ": " + doing, result);
  }

  private ShellResult exec(String script, byte[] stdin) {
    return shell.exec(
        new ShellCommand(PATH_PREFIX + script, Map.of(), List.of(), null, sudo, stdin, TIMEOUT));
  }

  private String sha(String line, String path) {
    if (line.equals("absent")) {
      return null;
    }
    if (line.startsWith("present ")) {
      return line.substring(8).strip();
    }
    throw ApplicationFailure.newNonRetryableFailure(
        where + ": " + path + " exists and is not a regular file", CutoverErrors.INVALID_CONFIG);
  }

  /** The shell words for a path. */
  static String q(String path) {
    return path == null ? "''" : Sh.quote(path);
  }
}
