package dev.cutover.steps.rsync;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.plan.Host;
import dev.cutover.secrets.ActivitySecrets;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code rsync} steps. Where rsync runs:
 *
 * <ul>
 *   <li>both hosts local: one rsync on the worker's machine;
 *   <li>both hosts over ssh: on the source host (pushing), or on the target with {@code pull}; that
 *       host connects to the other with its own key ({@code identity}), and checks the other's host
 *       key against the key the worker verified for it (a known_hosts file written for the run),
 *       never trusting on first use;
 *   <li>one local, one ssh host: on the worker's machine, connecting with the ssh host's key.
 * </ul>
 *
 * <p>Before the transfer, each host is checked for rsync, the source directory must exist and the
 * target directory is created ({@code mkdir -p}, on every rsync version). Half-sent files are kept
 * in {@link RsyncCommand#PARTIAL_DIR} (with {@code partial}), so a retry after a cut or a
 * cancellation resumes them; on cancellation rsync is first asked to stop (TERM), which is what
 * lets it keep the half-sent file, before the shell kills what is left.
 */
public class RsyncActivitiesImpl implements RsyncActivities {
  private static final Logger log = LoggerFactory.getLogger(RsyncActivitiesImpl.class);

  /** A tree may take days to copy: Temporal's timeouts and heartbeats bound it, not this. */
  static final Duration TRANSFER_TIMEOUT = Duration.ofDays(30);

  static final Duration SHORT_TIMEOUT = Duration.ofMinutes(2);
  static final int EXIT_VANISHED = 24;

  /** Where the work directories live: see {@link #newWorkDir}. */
  static final String WORK_DIR_PREFIX = "/tmp/cutover-rsync.";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final HostShells shells;
  private final String sshProgram;

  public RsyncActivitiesImpl(HostShells shells) {
    this(shells, "ssh");
  }

  /**
   * @param sshProgram the ssh client on the host that runs rsync; tests put a stand-in there
   */
  RsyncActivitiesImpl(HostShells shells, String sshProgram) {
    this.shells = shells;
    this.sshProgram = sshProgram;
  }

  @Override
  public RsyncResult sync(RsyncRequest request) {
    return sync(request, Heartbeat.ofActivity());
  }

  /** Copies the tree; {@code heartbeat} throws when Temporal asks to cancel, which stops rsync. */
  RsyncResult sync(RsyncRequest request, Heartbeat<RsyncProgress> heartbeat) {
    return ShellFailures.inStep(request.step(), () -> transfer(request, heartbeat));
  }

  private RsyncResult transfer(RsyncRequest request, Heartbeat<RsyncProgress> heartbeat) {
    validate(request);
    Route route = Route.of(request);
    HostShell sourceShell = shells.shell(request.sourceHostName(), request.sourceHost());
    HostShell targetShell = shells.shell(request.targetHostName(), request.targetHost());
    HostShell runShell = route.runIsSource() ? sourceShell : targetShell;
    boolean runSudo = route.runSudo(request);
    boolean sourceSudo = sudo(request.sourceHost(), request);
    boolean targetSudo = sudo(request.targetHost(), request);
    // The running host's own checks ride in the transfer's script (one session for check, copy and
    // clean-up); only the other host's side, or one that needs another sudo, takes a session of
    // its own. Over ssh on a push that means the target is prepared before the source is checked:
    // preflight has read the source by then, and a mistake leaves at most an empty directory.
    boolean sourceHere = (route.runIsSource() || !route.remote()) && sourceSudo == runSudo;
    boolean targetHere = (!route.runIsSource() || !route.remote()) && targetSudo == runSudo;
    if (!sourceHere) {
      checkSource(request, sourceShell, sourceSudo);
    }
    if (!targetHere) {
      prepareTarget(request, targetShell, targetSudo);
    }

    List<String> knownHosts = new ArrayList<>();
    if (route.remote()) {
      knownHosts.add(shells.ssh().knownHostsLine(route.otherName(), route.otherHost()));
      if (route.jumpsFromWorker() && route.otherHost().jumpHost() != null) {
        knownHosts.add(
            shells.ssh().knownHostsLine(route.otherHost().jump(), route.otherHost().jumpHost()));
      }
    }
    String workDir = newWorkDir();
    RsyncCommand command = command(request, route, workDir);
    String script =
        RsyncScript.of(
            sourceHere ? request.sourcePath() : null,
            targetHere ? request.targetPath() : null,
            workDir,
            knownHosts,
            command.script());
    RsyncOutput.Follower follower = new RsyncOutput.Follower();
    ExecWatch watch =
        new ExecWatch() {
          @Override
          public void line(String line) {
            follower.line(line);
          }

          @Override
          public void beat(long elapsedMillis, String lastLine) {
            try {
              heartbeat.beat(follower.progress());
            } catch (RuntimeException canceled) {
              stopGently(runShell, workDir, runSudo);
              throw canceled;
            }
          }
        };
    ShellResult result;
    try {
      result =
          runShell.exec(
              new ShellCommand(script, null, null, null, runSudo, null, TRANSFER_TIMEOUT), watch);
    } catch (RuntimeException e) {
      // Stopped or cut off before the script's own clean-up ran.
      removeWorkDir(runShell, workDir, runSudo);
      throw e;
    }
    if (result.timedOut()) {
      removeWorkDir(runShell, workDir, runSudo);
      throw ShellFailures.failure(where(request, route.runName()) + ": rsync", result);
    }
    if (!ShellFailures.sudoRefused(result)) {
      if (result.exitCode() == RsyncScript.EXIT_NO_SOURCE) {
        throw sourceFailure(request, runSudo, result);
      }
      if (result.exitCode() == RsyncScript.EXIT_NO_TARGET) {
        throw targetFailure(request, runSudo, result);
      }
      if (result.exitCode() == RsyncScript.EXIT_NO_WORK_DIR) {
        throw ShellFailures.failure(
            where(request, route.runName()) + ": creating a temporary directory", result);
      }
    }
    if (result.exitCode() != 0 && result.exitCode() != EXIT_VANISHED) {
      throw classify(request, route, result, follower);
    }
    if (result.exitCode() == EXIT_VANISHED) {
      log.info(
          "step {}: rsync exit 24 on host {}: some source files vanished during the transfer (normal while the "
              + "application still writes); the copy is complete otherwise",
          request.step(),
          route.runName());
    }
    RsyncOutput.Stats stats = RsyncOutput.stats(result.stdout());
    if (stats == null) {
      // stdout keeps its first megabyte only: with a large tree the statistics at its end are cut
      // off
      stats = follower.stats();
    }
    if (stats == null) {
      stats = RsyncOutput.Stats.NONE;
    }
    return new RsyncResult(
        stats.regularFilesTransferred(),
        stats.transferredFileSize(),
        stats.totalFileSize(),
        result.durationMillis(),
        stats.changedFiles());
  }

  // --- where rsync runs ----------------------------------------------------------------------

  /**
   * The host that runs rsync and the one it connects to.
   *
   * @param otherHost {@code null} when both hosts are local: one machine, no ssh
   * @param jumpsFromWorker whether rsync runs on the worker's machine, which reaches the other host
   *     the way the worker does (through its jump host)
   */
  record Route(
      String runName,
      Host runHost,
      boolean runIsSource,
      String otherName,
      Host otherHost,
      boolean jumpsFromWorker) {
    static Route of(RsyncRequest r) {
      boolean sourceSsh = r.sourceHost() != null && r.sourceHost().usesSsh();
      boolean targetSsh = r.targetHost() != null && r.targetHost().usesSsh();
      if (!sourceSsh && !targetSsh) {
        return new Route(r.sourceHostName(), r.sourceHost(), true, null, null, false);
      }
      boolean jumpsFromWorker = sourceSsh != targetSsh;
      return RsyncRunner.onTarget(r.sourceHost(), r.targetHost(), r.pull())
          ? new Route(
              r.targetHostName(),
              r.targetHost(),
              false,
              r.sourceHostName(),
              r.sourceHost(),
              jumpsFromWorker)
          : new Route(
              r.sourceHostName(),
              r.sourceHost(),
              true,
              r.targetHostName(),
              r.targetHost(),
              jumpsFromWorker);
    }

    boolean remote() {
      return otherHost != null;
    }

    /**
     * Sudo for the running rsync; one local copy serves both hosts, so either one's sudo counts.
     */
    boolean runSudo(RsyncRequest r) {
      if (!remote()) {
        return sudo(r.sourceHost(), r) || sudo(r.targetHost(), r);
      }
      return sudo(runHost, r);
    }
  }

  private RsyncCommand command(RsyncRequest request, Route route, String workDir) {
    RsyncCommand command;
    if (!route.remote()) {
      command = RsyncCommand.local(request.sourcePath(), request.targetPath());
    } else {
      Host other = route.otherHost();
      // On the worker's machine, the key the worker uses for that host; on a host, the step's
      // identity.
      String identity =
          request.identity() != null
              ? request.identity()
              : route.jumpsFromWorker() ? other.identityFile() : null;
      RsyncCommand.Remote jump = null;
      if (route.jumpsFromWorker() && other.jumpHost() != null) {
        Host j = other.jumpHost();
        jump =
            new RsyncCommand.Remote(
                j.userOrDefault(), j.address(), j.portOrDefault(), j.identityFile(), false, null);
      }
      RsyncCommand.Remote remote =
          new RsyncCommand.Remote(
              other.userOrDefault(),
              other.address(),
              other.portOrDefault(),
              identity,
              sudo(other, request),
              jump);
      command =
          route.runIsSource()
              ? RsyncCommand.push(request.sourcePath(), remote, request.targetPath())
              : RsyncCommand.pull(remote, request.sourcePath(), request.targetPath());
      command =
          command
              .knownHostsFile(workDir + "/" + RsyncScript.KNOWN_HOSTS_FILE)
              .sshProgram(sshProgram);
    }
    return command
        .delete(request.delete())
        .excludes(request.excludes())
        .partial(request.partial())
        .bandwidthLimit(request.bandwidthLimitKib());
  }

  private static boolean sudo(Host host, RsyncRequest request) {
    return host != null ? host.sudoFor(request.sudo()) : Boolean.TRUE.equals(request.sudo());
  }

  private static void validate(RsyncRequest r) {
    List<String> problems = new ArrayList<>();
    if (r.sourcePath() == null || r.sourcePath().isBlank()) {
      problems.add("source path is missing");
    }
    if (r.targetPath() == null || r.targetPath().isBlank()) {
      problems.add("target path is missing");
    }
    if (r.bandwidthLimitKib() != null && r.bandwidthLimitKib() <= 0) {
      problems.add("bwlimit must be a positive number of KiB/s, not " + r.bandwidthLimitKib());
    }
    for (Host h : new Host[] {r.sourceHost(), r.targetHost()}) {
      if (h != null && h.usesSsh() && (h.address() == null || h.address().isBlank())) {
        problems.add("an ssh host has no address");
      }
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + r.step() + ": " + String.join("; ", problems), CutoverErrors.INVALID_CONFIG);
    }
  }

  // --- before and after the transfer ----------------------------------------------------------

  private static void checkSource(RsyncRequest request, HostShell shell, boolean sudo) {
    String dir = Sh.quote(request.sourcePath());
    String script =
        RsyncScript.HAS_RSYNC
            + "\n[ -d "
            + dir
            + " ] || { echo \"source directory is missing\" >&2; exit "
            + RsyncScript.EXIT_NO_SOURCE
            + "; }";
    ShellResult result = shell.exec(ShellCommand.of(script, SHORT_TIMEOUT).withSudo(sudo));
    if (!result.ok()) {
      throw sourceFailure(request, sudo, result);
    }
  }

  /**
   * Why checking the source failed, from the check's result (its own session or the transfer's).
   */
  private static ApplicationFailure sourceFailure(
      RsyncRequest request, boolean sudo, ShellResult result) {
    String where = where(request, request.sourceHostName());
    if (!result.timedOut()
        && result.exitCode() == ShellFailures.EXIT_NOT_FOUND
        && !ShellFailures.sudoRefused(result)) {
      return missingRsync(where, request.sourceHostName(), sudo, result);
    }
    if (!result.timedOut() && result.exitCode() == RsyncScript.EXIT_NO_SOURCE) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          where
              + ": source directory "
              + request.sourcePath()
              + " does not exist (or is not a directory)",
          CutoverErrors.INVALID_CONFIG,
          null,
          result.asRunResult());
    }
    return ShellFailures.failure(where + ": checking the source", result);
  }

  private static void prepareTarget(RsyncRequest request, HostShell shell, boolean sudo) {
    String dir = Sh.quote(request.targetPath());
    String script = RsyncScript.HAS_RSYNC + "\nmkdir -p -- " + dir + " && [ -d " + dir + " ]";
    ShellResult result = shell.exec(ShellCommand.of(script, SHORT_TIMEOUT).withSudo(sudo));
    if (!result.ok()) {
      throw targetFailure(request, sudo, result);
    }
  }

  /** Why preparing the target failed, from its result (its own session or the transfer's). */
  private static ApplicationFailure targetFailure(
      RsyncRequest request, boolean sudo, ShellResult result) {
    String where = where(request, request.targetHostName());
    if (!result.timedOut() && !ShellFailures.sudoRefused(result)) {
      if (result.exitCode() == ShellFailures.EXIT_NOT_FOUND) {
        return missingRsync(where, request.targetHostName(), sudo, result);
      }
      if (ShellFailures.refusedByFileSystem(result)) {
        return ShellFailures.permissionDenied(
            where
                + ": cannot create target directory "
                + request.targetPath()
                + ": "
                + result.lastLine(),
            sudo,
            result);
      }
      return ApplicationFailure.newNonRetryableFailureWithCause(
          where
              + ": target "
              + request.targetPath()
              + " is not a directory and cannot be created: "
              + result.lastLine(),
          CutoverErrors.INVALID_CONFIG,
          null,
          result.asRunResult());
    }
    return ShellFailures.failure(where + ": preparing the target", result);
  }

  /**
   * A private directory on the running host for this run: the known_hosts file rsync's ssh checks
   * the other host against, and rsync's pid. A fixed place with a random name, because its path
   * goes into rsync's {@code -e} command, which no shell expands ({@code $TMPDIR} would not do);
   * the script creates it with {@code mkdir}, which refuses a name that exists (or a planted
   * symlink), and removes it when rsync ended.
   */
  private static String newWorkDir() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return WORK_DIR_PREFIX + HexFormat.of().formatHex(bytes);
  }

  /**
   * Removes the work directory when the transfer's script could not (it was stopped or cut off),
   * through the same sudo that made it.
   */
  private static void removeWorkDir(HostShell shell, String dir, boolean sudo) {
    try {
      shell.exec(ShellCommand.of("rm -rf -- " + Sh.quote(dir), SHORT_TIMEOUT).withSudo(sudo));
    } catch (RuntimeException e) {
      log.warn(
          "could not remove {} on host {}: {}",
          dir,
          shell.hostName(),
          ActivitySecrets.mask(e.getMessage()));
    }
  }

  /**
   * Asks rsync to stop (TERM) and waits a little for it: rsync then moves the file it was receiving
   * into the partial directory, where the retry finds it. A plain kill would leave it as a hidden
   * temporary file that nothing resumes. Best effort: the shell kills whatever is left anyway.
   */
  private static void stopGently(HostShell shell, String workDir, boolean sudo) {
    String script =
        "p=$(cat "
            + Sh.quote(workDir + "/" + RsyncScript.PID_FILE)
            + " 2>/dev/null) || exit 0\n"
            + "[ ! -r /proc/$p/comm ] || [ \"$(cat /proc/$p/comm)\" = rsync ] || exit 0\n"
            + "kill -TERM \"$p\" 2>/dev/null || exit 0\n"
            + "i=0; while kill -0 \"$p\" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done";
    try {
      shell.exec(ShellCommand.of(script, Duration.ofSeconds(30)).withSudo(sudo));
    } catch (RuntimeException e) {
      log.warn(
          "could not stop rsync on host {} gently: {}",
          shell.hostName(),
          ActivitySecrets.mask(e.getMessage()));
    }
  }

  // --- what went wrong ------------------------------------------------------------------------

  private static ApplicationFailure classify(
      RsyncRequest request, Route route, ShellResult result, RsyncOutput.Follower follower) {
    String where = where(request, route.runName());
    List<String> messages = follower.messages();
    String text = result.outputTail() + "\n" + String.join("\n", messages);
    int code = result.exitCode();
    if (ShellFailures.sudoRefused(result)) {
      return ShellFailures.failure(where + ": rsync", result);
    }
    if (route.remote() && text.contains("Host key verification failed")) {
      Host other = route.otherHost();
      return ApplicationFailure.newNonRetryableFailureWithCause(
          where
              + ": host "
              + route.runName()
              + " could not verify the host key of host "
              + route.otherName()
              + " ("
              + other.address()
              + " port "
              + other.portOrDefault()
              + ") against the key the worker verified for "
              + route.otherName()
              + ": "
              + route.otherName()
              + " shows "
              + route.runName()
              + " another key (or answers there under another name); Host key verification failed",
          CutoverErrors.HOST_KEY_MISMATCH,
          null,
          result.asRunResult());
    }
    if (route.remote() && text.contains("Permission denied (") && text.contains("publickey")) {
      return authFailed(request, route, result);
    }
    boolean notFound = text.contains("command not found") || text.contains("rsync: not found");
    if (text.contains("remote command not found")
        || (route.remote() && code != ShellFailures.EXIT_NOT_FOUND && notFound)) {
      return missingRsync(
          where(request, route.otherName()),
          route.otherName(),
          sudo(route.otherHost(), request),
          result);
    }
    if (code == ShellFailures.EXIT_NOT_FOUND || notFound) {
      return missingRsync(where, route.runName(), route.runSudo(request), result);
    }
    String said = firstMessage(messages, result);
    switch (code) {
      case 1, 2, 3, 4 -> {
        return ApplicationFailure.newNonRetryableFailureWithCause(
            where
                + ": rsync refused the transfer ("
                + exitMeaning(code)
                + ", code "
                + code
                + "): "
                + said,
            CutoverErrors.INVALID_CONFIG,
            null,
            result.asRunResult());
      }
      case 23 -> {
        String denied =
            messages.stream()
                .filter(m -> m.contains("Permission denied (13)"))
                .findFirst()
                .orElse(null);
        if (denied != null) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              where
                  + ": rsync may not read or write some files (code 23), which a retry cannot change: "
                  + denied
                  + (route.runSudo(request)
                      ? ""
                      : " (set sudo on the step or the hosts if the tree needs root)"),
              CutoverErrors.PERMISSION_DENIED,
              null,
              result.asRunResult());
        }
        return ApplicationFailure.newFailureWithCause(
            where
                + ": partial transfer (code 23): some files or attributes were not transferred; "
                + said,
            CutoverErrors.COMMAND_FAILED,
            null,
            result.asRunResult());
      }
      case 10, 12, 30, 35, 255 -> {
        boolean unreachable =
            text.contains("Connection refused")
                || text.contains("No route to host")
                || text.contains("Could not resolve hostname")
                || text.contains("Connection timed out");
        return ApplicationFailure.newFailureWithCause(
            where
                + ": "
                + (unreachable ? "cannot reach " : "connection lost with ")
                + (route.remote() ? "host " + route.otherName() : "the other rsync process")
                + " ("
                + exitMeaning(code)
                + ", code "
                + code
                + "): "
                + said,
            unreachable ? CutoverErrors.HOST_UNREACHABLE : CutoverErrors.CONNECTION_LOST,
            null,
            result.asRunResult());
      }
      default -> {
        return ApplicationFailure.newFailureWithCause(
            where + ": rsync failed (" + exitMeaning(code) + ", code " + code + "): " + said,
            CutoverErrors.COMMAND_FAILED,
            null,
            result.asRunResult());
      }
    }
  }

  private static ApplicationFailure authFailed(
      RsyncRequest request, Route route, ShellResult result) {
    Host other = route.otherHost();
    String identity =
        request.identity() != null
            ? request.identity()
            : route.jumpsFromWorker() && other.identityFile() != null ? other.identityFile() : null;
    String runUser =
        route.runSudo(request)
            ? "root (sudo)"
            : route.runHost() != null && route.runHost().usesSsh()
                ? route.runHost().userOrDefault()
                : "the worker's user";
    return ApplicationFailure.newNonRetryableFailureWithCause(
        where(request, route.runName())
            + ": host "
            + route.runName()
            + " may not log in to host "
            + route.otherName()
            + " as "
            + other.userOrDefault()
            + ": the key of "
            + runUser
            + " on "
            + route.runName()
            + " ("
            + (identity != null ? identity : "its default keys in ~/.ssh")
            + ") is not authorized there; add its public key to ~"
            + other.userOrDefault()
            + "/.ssh/authorized_keys on "
            + route.otherName()
            + (request.identity() == null && !route.jumpsFromWorker()
                ? " or set identity on the step"
                : ""),
        CutoverErrors.AUTH_FAILED,
        null,
        result.asRunResult());
  }

  private static ApplicationFailure missingRsync(
      String where, String hostName, boolean sudo, ShellResult result) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        where
            + ": rsync is not installed on host "
            + hostName
            + " (not found on the PATH"
            + (sudo ? " of sudo" : "")
            + "); install it there (Debian: apt-get install rsync)",
        CutoverErrors.MISSING_TOOL,
        null,
        result.asRunResult());
  }

  /**
   * The most telling line: rsync's first message about a file or the connection, else the last
   * line.
   */
  private static String firstMessage(List<String> messages, ShellResult result) {
    for (String m : messages) {
      if (!m.startsWith("rsync error:") && !m.startsWith("rsync warning:")) {
        return m;
      }
    }
    return messages.isEmpty() ? result.lastLine() : messages.get(0);
  }

  /** rsync's own words for its exit codes (rsync(1), EXIT VALUES). */
  static String exitMeaning(int code) {
    return switch (code) {
      case 1 -> "syntax or usage error";
      case 2 -> "protocol incompatibility";
      case 3 -> "errors selecting input/output files or directories";
      case 4 -> "requested action not supported";
      case 5 -> "error starting client-server protocol";
      case 10 -> "error in socket I/O";
      case 11 -> "error in file I/O";
      case 12 -> "error in rsync protocol data stream";
      case 20 -> "received SIGUSR1 or SIGINT";
      case 23 -> "partial transfer due to error";
      case 24 -> "partial transfer due to vanished source files";
      case 30 -> "timeout in data send/receive";
      case 35 -> "timeout waiting for daemon connection";
      case 255 -> "ssh failed";
      default -> "exit code " + code;
    };
  }

  private static String where(RsyncRequest request, String hostName) {
    return "step " + request.step() + " on host " + hostName;
  }
}
