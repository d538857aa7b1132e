package dev.cutover.steps.cron;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.plan.Host;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunProgress;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs {@code cron} steps: a user's crontab moved from the old host to the new one, and back; or,
 * with {@code action: remove}, saved and removed on one host, and installed again by the undo.
 *
 * <p>Each host keeps the copies this step needs in the connecting user's {@code
 * ~/.cutover/MIGRATION/STEP/} (directory mode 700, files 600): {@code old.crontab} on the old host
 * and {@code new.crontab} on the new one, or {@code old.absent} / {@code new.absent} when the user
 * had none; a remove keeps {@code removed.crontab} (or {@code removed.absent}). A copy is written
 * only if it is not there yet, so a retry never saves an already-moved state over the original; the
 * saved copies are what a move installs and what its undo restores. Crontabs are read with {@code
 * crontab -l}, written with {@code crontab -} and removed with {@code crontab -r}, with {@code -u
 * USER} unless USER is the user the commands run as (only root may use {@code -u}).
 *
 * <p>The result's {@code changed} says whether the crontabs now differ from the saved originals: a
 * retry that finds the move already done still reports it, so the workflow keeps its undo.
 */
public class CronActivitiesImpl implements CronActivities {
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** No real crontab comes near this; a bigger one is refused rather than cut. */
  static final int MAX_CRONTAB_CHARS = 512 * 1024;

  private static final Pattern VARIABLE =
      Pattern.compile("^\\s*[\"']?[A-Za-z_][A-Za-z0-9_]*[\"']?\\s*=.*");
  private static final String NO_CRONTAB = "no crontab for";

  /**
   * The saved copy of a remove is {@code removed.crontab} (or {@code removed.absent}) in the step's
   * directory.
   */
  static final String REMOVED = "removed";

  private final HostShells shells;
  private final Function<String, String> crontabForHost;
  private final Function<String, String> homeForHost;

  public CronActivitiesImpl(HostShells shells) {
    this(shells, "crontab");
  }

  /**
   * @param crontab the crontab program on every host
   */
  public CronActivitiesImpl(HostShells shells, String crontab) {
    this(shells, host -> crontab, host -> null);
  }

  /**
   * For tests, whose "hosts" share one machine: each host name gets its own crontab program (a
   * stand-in keeping its own spool) and its own directory in place of the connecting user's home
   * ({@code null}: {@code $HOME}).
   */
  CronActivitiesImpl(
      HostShells shells,
      Function<String, String> crontabForHost,
      Function<String, String> homeForHost) {
    this.shells = shells;
    this.crontabForHost = crontabForHost;
    this.homeForHost = homeForHost;
  }

  @Override
  public CronMoveResult move(CronMoveRequest request) {
    return move(request, Heartbeat.ofActivity());
  }

  @Override
  public CronMoveResult restore(CronRestoreRequest request) {
    return restore(request, Heartbeat.ofActivity());
  }

  @Override
  public CronRemoveResult remove(CronRemoveRequest request) {
    return remove(request, Heartbeat.ofActivity());
  }

  @Override
  public CronRemoveResult restoreRemoved(CronRemoveRequest request) {
    return restoreRemoved(request, Heartbeat.ofActivity());
  }

  /**
   * Saves the crontab once, then removes it. A retry finds the first attempt's copy (the original)
   * and removes whatever is still there.
   */
  CronRemoveResult remove(CronRemoveRequest request, Heartbeat<RunProgress> heartbeat) {
    return ShellFailures.inStep(
        request.step(),
        () -> {
          validate(request);
          long started = System.nanoTime();
          Side side = side(request);
          Tab now = side.read();
          Tab saved = side.saveOnce(REMOVED, now);
          beat(
              heartbeat,
              started,
              "saved the crontab of " + request.user() + " on " + request.hostName());
          if (now.exists()) {
            side.remove();
            beat(heartbeat, started, "removed it on " + request.hostName());
          }
          Tab after = side.read();
          // As a move does: a retry that finds it already removed still reports the change, so the
          // undo is kept.
          return new CronRemoveResult(saved.state(), after.stateNow(), !after.sameAs(saved));
        });
  }

  /**
   * Installs the saved copy again, unless the user has a crontab now that is not it (installed by
   * hand since): that one is not overwritten.
   */
  CronRemoveResult restoreRemoved(CronRemoveRequest request, Heartbeat<RunProgress> heartbeat) {
    return ShellFailures.inStep(
        request.step(),
        () -> {
          validate(request);
          long started = System.nanoTime();
          Side side = side(request);
          Tab saved = side.readSaved(REMOVED);
          Tab now = side.read();
          if (saved == null || !saved.exists() || now.sameAs(saved)) {
            // Nothing was saved (the remove never got so far), there was nothing to remove, or it
            // is back already.
            return new CronRemoveResult(
                saved == null ? now.stateNow() : saved.state(), now.stateNow(), false);
          }
          if (now.exists()) {
            throw ApplicationFailure.newNonRetryableFailure(
                "step "
                    + request.step()
                    + " on host "
                    + request.hostName()
                    + ": user "
                    + request.user()
                    + " has a crontab again ("
                    + now.activeEntries()
                    + " entries), installed since the"
                    + " remove; not overwritten. The removed one is saved at "
                    + saved.savedAt()
                    + ": merge it by hand",
                CutoverErrors.STATE_CONFLICT);
          }
          side.install(saved);
          beat(
              heartbeat,
              started,
              "restored the crontab of " + request.user() + " on " + request.hostName());
          return new CronRemoveResult(saved.state(), side.read().stateNow(), true);
        });
  }

  private Side side(CronRemoveRequest request) {
    return side(
        new Who(request.migration(), request.step(), request.user()),
        request.sudo(),
        request.hostName(),
        request.host());
  }

  private static void validate(CronRemoveRequest r) {
    List<String> problems = new ArrayList<>();
    if (r.user() == null || r.user().isBlank()) {
      problems.add("no user is given");
    }
    if (r.migration() == null || r.migration().isBlank()) {
      problems.add("the migration has no name");
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + r.step() + ": " + String.join("; ", problems), CutoverErrors.INVALID_CONFIG);
    }
  }

  /** The move; {@code heartbeat} throws when Temporal asks to cancel. */
  CronMoveResult move(CronMoveRequest request, Heartbeat<RunProgress> heartbeat) {
    return ShellFailures.inStep(
        request.step(),
        () -> {
          validate(request);
          long started = System.nanoTime();
          Side old = side(request, request.fromName(), request.from());
          Side nu = side(request, request.toName(), request.to());

          Tab oldNow = old.read();
          Tab oldSaved = old.saveOnce("old", oldNow);
          beat(
              heartbeat,
              started,
              "saved the crontab of " + request.user() + " on " + request.fromName());
          Tab newNow = nu.read();
          Tab newSaved = nu.saveOnce("new", newNow);
          beat(
              heartbeat,
              started,
              "saved the crontab of " + request.user() + " on " + request.toName());

          // Nothing is changed before this check: a different crontab on the new host stops the
          // step.
          if (oldSaved.exists()
              && newNow.exists()
              && !newNow.sameAs(oldSaved)
              && !request.replace()) {
            throw ApplicationFailure.newNonRetryableFailure(
                "step "
                    + request.step()
                    + " on host "
                    + request.toName()
                    + ": user "
                    + request.user()
                    + " already has a different crontab there ("
                    + newNow.activeEntries()
                    + " entries); nothing was changed. Merge it by hand, or set replace: true to "
                    + "replace it (it is saved at "
                    + newSaved.savedAt()
                    + " and the undo puts it back)",
                CutoverErrors.STATE_CONFLICT);
          }
          if (oldSaved.exists() && !newNow.sameAs(oldSaved)) {
            nu.install(oldSaved);
            beat(heartbeat, started, "installed it on " + request.toName());
          }
          if (oldSaved.exists() && oldNow.exists()) {
            old.remove();
            beat(heartbeat, started, "removed it on " + request.fromName());
          }
          Tab oldAfter = old.read();
          Tab newAfter = nu.read();
          boolean changed = !oldAfter.sameAs(oldSaved) || !newAfter.sameAs(newSaved);
          return new CronMoveResult(
              oldSaved.state(),
              newSaved.state(),
              oldAfter.stateNow(),
              newAfter.stateNow(),
              changed);
        });
  }

  /** The undo; {@code heartbeat} throws when Temporal asks to cancel. */
  CronMoveResult restore(CronRestoreRequest restore, Heartbeat<RunProgress> heartbeat) {
    CronMoveRequest request = restore.move();
    return ShellFailures.inStep(
        request.step(),
        () -> {
          validate(request);
          long started = System.nanoTime();
          Side old = side(request, request.fromName(), request.from());
          Side nu = side(request, request.toName(), request.to());
          Tab oldSaved = old.readSaved("old");
          Tab newSaved = nu.readSaved("new");
          Tab oldNow = old.read();
          Tab newNow = nu.read();
          // What the move left on each host, as the saved copies say (the history keeps no hashes
          // to compare with).
          Tab oldLeft = oldSaved == null || !oldSaved.exists() ? null : Tab.ABSENT;
          Tab newLeft = oldSaved != null && oldSaved.exists() ? oldSaved : newSaved;

          // Decide both before changing either, so an edited crontab on one host leaves both
          // untouched.
          boolean restoreNew = needsRestore(request, nu, newSaved, newNow, newLeft);
          boolean restoreOld = needsRestore(request, old, oldSaved, oldNow, oldLeft);
          // New first, then old: the jobs stop on the new host before they start again on the old,
          // never running on both.
          if (restoreNew) {
            nu.putBack(newSaved);
            beat(
                heartbeat,
                started,
                "restored the crontab of " + request.user() + " on " + request.toName());
          }
          if (restoreOld) {
            old.putBack(oldSaved);
            beat(
                heartbeat,
                started,
                "restored the crontab of " + request.user() + " on " + request.fromName());
          }
          Tab oldAfter = old.read();
          Tab newAfter = nu.read();
          return new CronMoveResult(
              oldSaved == null ? oldAfter.stateNow() : oldSaved.state(),
              newSaved == null ? newAfter.stateNow() : newSaved.state(),
              oldAfter.stateNow(),
              newAfter.stateNow(),
              restoreNew || restoreOld);
        });
  }

  /**
   * Whether a host's crontab must be put back: not when nothing was saved there (the move never got
   * so far) or it already is the saved original; yes when it is what the move left; otherwise
   * someone edited it since, and it is not overwritten.
   */
  private static boolean needsRestore(
      CronMoveRequest request, Side side, Tab saved, Tab now, Tab left) {
    if (saved == null || now.sameAs(saved)) {
      return false;
    }
    if (left != null && now.sameAs(left)) {
      return true;
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "step "
            + request.step()
            + " on host "
            + side.name
            + ": crontab of "
            + request.user()
            + " on "
            + side.name
            + " was edited since the move; not overwritten (it has "
            + now.activeEntries()
            + " entries now; the original is saved at "
            + saved.savedAt()
            + ")",
        CutoverErrors.STATE_CONFLICT);
  }

  private static void validate(CronMoveRequest r) {
    List<String> problems = new ArrayList<>();
    if (r.user() == null || r.user().isBlank()) {
      problems.add("no user is given");
    }
    if (r.fromName() != null && r.fromName().equals(r.toName())) {
      problems.add("from and to are the same host (" + r.fromName() + ")");
    }
    if (r.migration() == null || r.migration().isBlank()) {
      problems.add("the migration has no name");
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + r.step() + ": " + String.join("; ", problems), CutoverErrors.INVALID_CONFIG);
    }
  }

  private Side side(CronMoveRequest request, String name, Host host) {
    return side(
        new Who(request.migration(), request.step(), request.user()), request.sudo(), name, host);
  }

  private Side side(Who who, Boolean stepSudo, String name, Host host) {
    boolean sudo = host != null ? host.sudoFor(stepSudo) : Boolean.TRUE.equals(stepSudo);
    return new Side(
        who,
        name,
        shells.shell(name, host),
        sudo,
        crontabForHost.apply(name),
        homeForHost.apply(name));
  }

  private static void beat(Heartbeat<RunProgress> heartbeat, long started, String what) {
    heartbeat.beat(new RunProgress((System.nanoTime() - started) / 1_000_000, what));
  }

  // --- one host ---------------------------------------------------------------------------------

  /** Whose crontab, and under which migration and step its copies are saved. */
  private record Who(String migration, String step, String user) {}

  /** The user's crontab on one host, and the copies saved there. */
  private static final class Side {
    private final Who request;
    private final String name;
    private final HostShell shell;
    private final boolean sudo;
    private final String crontab;

    /** A shell expression for the directory of the saved copies. */
    private final String saveDir;

    private final String where;

    Side(Who request, String name, HostShell shell, boolean sudo, String crontab, String home) {
      this.request = request;
      this.name = name;
      this.shell = shell;
      this.sudo = sudo;
      this.crontab = crontab;
      this.saveDir =
          (home == null ? "\"$HOME\"" : Sh.quote(home))
              + "/.cutover/"
              + Sh.quote(pathPart(request.migration()))
              + "/"
              + Sh.quote(pathPart(request.step()));
      this.where = "step " + request.step() + " on host " + name;
    }

    /**
     * The crontab command with {@code -u USER}, unless the script already runs as USER (only root
     * may use -u).
     */
    private String crontab(String args) {
      String c = Sh.quote(crontab);
      return "u="
          + Sh.quote(request.user())
          + "\n"
          + "if [ \"$(id -un)\" = \"$u\" ]; then "
          + c
          + " "
          + args
          + "; else "
          + c
          + " -u \"$u\" "
          + args
          + "; fi";
    }

    Tab read() {
      ShellResult result = shell.exec(ShellCommand.of(crontab("-l"), TIMEOUT).withSudo(sudo));
      if (result.ok()) {
        return Tab.of(checkedSize(result.stdout()));
      }
      if (!result.timedOut()
          && result.exitCode() == 1
          && result.outputTail().contains(NO_CRONTAB)) {
        return Tab.ABSENT;
      }
      throw failure("reading the crontab of " + request.user(), result);
    }

    void install(Tab tab) {
      byte[] content = tab.content().getBytes(StandardCharsets.UTF_8);
      ShellCommand command =
          new ShellCommand(crontab("-"), null, tab.maskLines(), null, sudo, content, TIMEOUT);
      ShellResult result = shell.exec(command);
      if (!result.ok()) {
        if (!result.timedOut()
            && (result.outputTail().contains("errors in crontab file")
                || result.outputTail().contains("bad "))) {
          throw ApplicationFailure.newNonRetryableFailureWithCause(
              where
                  + ": crontab refused the crontab of "
                  + request.user()
                  + " ("
                  + result.lastLine()
                  + "); its cron does not accept what the old host's did",
              CutoverErrors.INVALID_CONFIG,
              null,
              result.asRunResult());
        }
        throw failure("installing the crontab of " + request.user(), result);
      }
    }

    void remove() {
      ShellResult result = shell.exec(ShellCommand.of(crontab("-r"), TIMEOUT).withSudo(sudo));
      if (!result.ok() && !(result.exitCode() == 1 && result.outputTail().contains(NO_CRONTAB))) {
        throw failure("removing the crontab of " + request.user(), result);
      }
    }

    /** Puts a saved copy back: installs it, or removes the crontab if the user had none. */
    void putBack(Tab saved) {
      if (saved.exists()) {
        install(saved);
      } else {
        remove();
      }
    }

    /**
     * Saves {@code now} as {@code KIND.crontab} (or {@code KIND.absent}) unless a copy is already
     * there, and returns the saved copy, which is the original whatever this attempt found. Runs as
     * the connecting user (no sudo): the copies live in that user's home.
     */
    Tab saveOnce(String kind, Tab now) {
      String script =
          "umask 077\nd="
              + saveDir
              + "\nmkdir -p \"$d\" && chmod 700 \"$d\" || exit 1\n"
              + "if [ -e \"$d/"
              + kind
              + ".crontab\" ]; then printf 'saved %s\\n' \"$d/"
              + kind
              + ".crontab\"; cat \"$d/"
              + kind
              + ".crontab\"\n"
              + "elif [ -e \"$d/"
              + kind
              + ".absent\" ]; then printf 'absent %s\\n' \"$d/"
              + kind
              + ".absent\"\n"
              + (now.exists()
                  ? "else cat > \"$d/"
                      + kind
                      + ".crontab.part\" && mv -f \"$d/"
                      + kind
                      + ".crontab.part\" \"$d/"
                      + kind
                      + ".crontab\""
                      + " && printf 'wrote %s\\n' \"$d/"
                      + kind
                      + ".crontab\"\n"
                  : "else : > \"$d/"
                      + kind
                      + ".absent\" && printf 'absent %s\\n' \"$d/"
                      + kind
                      + ".absent\"\n")
              + "fi";
      byte[] stdin = now.exists() ? now.content().getBytes(StandardCharsets.UTF_8) : null;
      ShellResult result =
          shell.exec(new ShellCommand(script, null, now.maskLines(), null, false, stdin, TIMEOUT));
      if (!result.ok()) {
        throw failure("saving a copy of the crontab of " + request.user(), result);
      }
      String out = result.stdout();
      int nl = out.indexOf('\n');
      String header = nl < 0 ? out : out.substring(0, nl);
      String path = header.substring(header.indexOf(' ') + 1);
      if (header.startsWith("wrote ")) {
        return now.savedAt(path);
      }
      if (header.startsWith("absent ")) {
        return Tab.ABSENT.savedAt(path);
      }
      return Tab.of(checkedSize(out.substring(nl + 1))).savedAt(path);
    }

    /** The saved copy of a move, or {@code null} when the move saved none on this host. */
    Tab readSaved(String kind) {
      String script =
          "d="
              + saveDir
              + "\n"
              + "if [ -e \"$d/"
              + kind
              + ".crontab\" ]; then printf 'saved %s\\n' \"$d/"
              + kind
              + ".crontab\"; cat \"$d/"
              + kind
              + ".crontab\"\n"
              + "elif [ -e \"$d/"
              + kind
              + ".absent\" ]; then printf 'absent %s\\n' \"$d/"
              + kind
              + ".absent\"\n"
              + "else echo none; fi";
      ShellResult result = shell.exec(ShellCommand.of(script, TIMEOUT));
      if (!result.ok()) {
        throw failure("reading the saved copy of the crontab of " + request.user(), result);
      }
      String out = result.stdout();
      int nl = out.indexOf('\n');
      String header = nl < 0 ? out : out.substring(0, nl);
      String path = header.substring(header.indexOf(' ') + 1);
      if (header.startsWith("saved ")) {
        return Tab.of(checkedSize(out.substring(nl + 1))).savedAt(path);
      }
      if (header.startsWith("absent ")) {
        return Tab.ABSENT.savedAt(path);
      }
      return null;
    }

    private String checkedSize(String content) {
      if (content.length() >= MAX_CRONTAB_CHARS) {
        throw ApplicationFailure.newNonRetryableFailure(
            where
                + ": the crontab of "
                + request.user()
                + " is larger than "
                + MAX_CRONTAB_CHARS / 1024
                + " KiB; move it by hand",
            CutoverErrors.INVALID_CONFIG);
      }
      return content;
    }

    /** A classified failure whose details hold the error output only, never the crontab's lines. */
    private ApplicationFailure failure(String doing, ShellResult result) {
      ShellResult errors = errorsOnly(result);
      String out = errors.outputTail();
      if (!errors.timedOut() && !ShellFailures.sudoRefused(errors)) {
        if (errors.exitCode() == ShellFailures.EXIT_NOT_FOUND) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              where + ": " + crontab + " is not installed (package cron)",
              CutoverErrors.MISSING_TOOL,
              null,
              errors.asRunResult());
        }
        if (out.contains("unknown") && out.contains(request.user())
            || out.contains("does not exist")) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              where
                  + ": user "
                  + request.user()
                  + " does not exist there ("
                  + errors.lastLine().strip()
                  + ")",
              CutoverErrors.INVALID_CONFIG,
              null,
              errors.asRunResult());
        }
        if (out.contains("must be privileged")
            || out.contains("not allowed")
            || out.contains("Permission denied")) {
          return ShellFailures.permissionDenied(
              where
                  + ": not allowed to manage the crontab of "
                  + request.user()
                  + " ("
                  + errors.lastLine().strip()
                  + ")",
              sudo,
              errors);
        }
      }
      return ShellFailures.failure(where + ": " + doing, errors);
    }
  }

  // --- a crontab's content ----------------------------------------------------------------------

  /**
   * A crontab as read or saved: its content stays in the worker's memory for the move and never
   * reaches a result, a message or a log; results get its hash and entry count.
   */
  record Tab(boolean exists, String content, String savedAt) {
    static final Tab ABSENT = new Tab(false, null, null);

    static Tab of(String content) {
      return new Tab(true, content, null);
    }

    Tab savedAt(String path) {
      return new Tab(exists, content, path);
    }

    int activeEntries() {
      return exists ? countEntries(content) : 0;
    }

    boolean sameAs(Tab other) {
      return other != null && exists == other.exists && (!exists || content.equals(other.content));
    }

    /**
     * As a result records it, with where it was saved (nothing for an absent crontab: no copy
     * needed). No hash: a crontab of a known shape with a short password inline could be guessed
     * from one, and the saved copies on the hosts are what restores compare with.
     */
    CronState state() {
      return new CronState(exists, activeEntries(), exists ? savedAt : null);
    }

    CronState stateNow() {
      return new CronState(exists, activeEntries(), null);
    }

    /** Every line, for masking in any output a command prints while it handles this content. */
    List<String> maskLines() {
      if (!exists) {
        return List.of();
      }
      Set<String> lines = new HashSet<>();
      content.lines().map(String::strip).filter(l -> l.length() >= 4).forEach(lines::add);
      return List.copyOf(lines);
    }

    @Override
    public String toString() {
      // never the content, should a record ever be printed
      return "Tab[exists=" + exists + ", entries=" + activeEntries() + ", savedAt=" + savedAt + "]";
    }
  }

  /**
   * Lines that schedule a job: not blank, not a comment, not a variable such as {@code MAILTO=}.
   */
  static int countEntries(String content) {
    int n = 0;
    for (String line : content.split("\n")) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#") && !VARIABLE.matcher(s).matches()) {
        n++;
      }
    }
    return n;
  }

  /** A name from the plan as one path component: no slash, no leading dot. */
  static String pathPart(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
  }

  /**
   * The result with only the lines of its tail that are not standard output (which may be a
   * crontab).
   */
  private static ShellResult errorsOnly(ShellResult result) {
    Set<String> stdout = new HashSet<>(result.stdout().lines().toList());
    String tail =
        String.join("\n", result.outputTail().lines().filter(l -> !stdout.contains(l)).toList());
    return new ShellResult(
        result.exitCode(),
        "",
        tail,
        result.truncated(),
        result.timedOut(),
        result.durationMillis());
  }
}
