package dev.cutover.steps.put;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunProgress;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs {@code put} steps: a file written on a host, with its mode and owner, and its undo.
 *
 * <p>The previous file is kept as {@code PATH.cutover-MIGRATION-STEP.bak} (a copy with its mode,
 * owner and times), made only if no such backup exists yet, so a retry never saves the file it
 * wrote over the original. When there was no previous file, an empty {@code
 * PATH.cutover-MIGRATION-STEP.absent} says so, for the same reason. The content goes to the host on
 * standard input (never on a command line), into a temporary file in the same directory that gets
 * its mode and owner before it is renamed over the path: readers see the old file or the new one,
 * never half of one. A secret content is masked in any output kept; results hold hashes only.
 *
 * <p>The result's {@code changed} is true when this step has written the file, in this attempt or
 * an earlier one (its backup or absent marker is there), so a retry keeps the workflow's undo.
 */
public class PutActivitiesImpl implements PutActivities {
  static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
  private static final Pattern OWNER = Pattern.compile("[^:\\s]+(:[^:\\s]+)?");

  /**
   * How the workflow names the undo of a step (StepExecutor.runUndo); a restore request carries
   * that name.
   */
  private static final String UNDO_SUFFIX = ".undo";

  private final HostShells shells;
  private final SecretResolver secrets;

  public PutActivitiesImpl(HostShells shells, SecretResolver secrets) {
    this.shells = shells;
    this.secrets = secrets;
  }

  @Override
  public PutResult put(PutRequest request) {
    return put(request, Heartbeat.ofActivity());
  }

  @Override
  public PutRestoreResult restore(PutRestoreRequest request) {
    return restore(request, Heartbeat.ofActivity());
  }

  @Override
  public PutCleanupResult cleanup(PutCleanupRequest request) {
    return cleanup(request, Heartbeat.ofActivity());
  }

  /**
   * Removes the backups and absent markers of the request's files; tries every file, then fails
   * naming those it could not clean (retryably, unless every one of them failed for a reason a
   * retry cannot mend).
   */
  PutCleanupResult cleanup(PutCleanupRequest request, Heartbeat<RunProgress> heartbeat) {
    long started = System.nanoTime();
    if (request.migration() == null || request.migration().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "put cleanup: the migration has no name", CutoverErrors.INVALID_CONFIG);
    }
    List<String> removed = new java.util.ArrayList<>();
    List<ApplicationFailure> failed = new java.util.ArrayList<>();
    for (PutCleanupFile file : request.files()) {
      String where = "step " + file.step() + " on host " + file.hostName();
      if (file.path() == null || !file.path().startsWith("/")) {
        failed.add(
            ApplicationFailure.newNonRetryableFailure(
                where + ": the file needs an absolute path, not " + file.path(),
                CutoverErrors.INVALID_CONFIG));
        continue;
      }
      String base =
          file.path() + ".cutover-" + pathPart(request.migration()) + "-" + pathPart(file.step());
      // The .part is what a worker that died while saving the backup left.
      String script =
          "for f in "
              + Sh.quote(base + ".bak")
              + " "
              + Sh.quote(base + ".bak.part")
              + " "
              + Sh.quote(base + ".absent")
              + "; do\n"
              + "  if [ -e \"$f\" ] || [ -L \"$f\" ]; then rm -f -- \"$f\" || exit 1; printf 'removed %s\\n' \"$f\"; fi\n"
              + "done\n";
      try {
        Remote host = new Remote(file.hostName(), file.host(), file.sudo(), where, file.path());
        ShellResult result = host.exec(ShellCommand.of(script, TIMEOUT).withSudo(host.sudo));
        if (!result.ok()) {
          throw host.failure("removing the backup of " + file.path(), result);
        }
        result
            .stdout()
            .lines()
            .filter(l -> l.startsWith("removed "))
            .forEach(l -> removed.add(file.hostName() + ":" + l.substring(8)));
      } catch (ApplicationFailure f) {
        failed.add(f);
      }
      heartbeat.beat(
          new RunProgress(
              elapsed(started), "cleaned up after " + file.path() + " on host " + file.hostName()));
    }
    if (!failed.isEmpty()) {
      StringBuilder message =
          new StringBuilder("the backups of " + failed.size() + " put file(s) were not removed:");
      failed.forEach(
          f ->
              message
                  .append("\n")
                  .append(f.getOriginalMessage())
                  .append(f.getType() == null ? "" : " [" + f.getType() + "]"));
      if (failed.stream().allMatch(ApplicationFailure::isNonRetryable)) {
        throw ApplicationFailure.newNonRetryableFailure(
            message.toString(), failed.get(0).getType());
      }
      throw ApplicationFailure.newFailure(message.toString(), CutoverErrors.COMMAND_FAILED);
    }
    return new PutCleanupResult(removed);
  }

  /** Writes the file; {@code heartbeat} throws when Temporal asks to cancel. */
  PutResult put(PutRequest request, Heartbeat<RunProgress> heartbeat) {
    return ShellFailures.inStep(request.step(), () -> write(request, heartbeat));
  }

  /** Puts the previous file back; {@code heartbeat} throws when Temporal asks to cancel. */
  PutRestoreResult restore(PutRestoreRequest request, Heartbeat<RunProgress> heartbeat) {
    return ShellFailures.inStep(request.step(), () -> putBack(request, heartbeat));
  }

  // --- put
  // ----------------------------------------------------------------------------------------

  private PutResult write(PutRequest request, Heartbeat<RunProgress> heartbeat) {
    long started = System.nanoTime();
    String where = "step " + request.step() + " on host " + request.hostName();
    validate(request, where);
    boolean secret = request.contentSecret() != null;
    String content = secret ? resolve(request.contentSecret(), where) : request.content();
    List<String> mask = secret && !content.isEmpty() ? List.of(content) : List.of();
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    String rawHash = sha256(bytes);
    String path = request.path();
    String base =
        path + ".cutover-" + pathPart(request.migration()) + "-" + pathPart(request.step());
    String backup = base + ".bak";
    String marker = base + ".absent";

    Remote host = new Remote(request.hostName(), request.host(), request.sudo(), where, path);
    Inspection seen = host.inspect(backup, marker);
    heartbeat.beat(new RunProgress(elapsed(started), "read " + path));
    FileState now = seen.file();
    String hash = seen.seal(rawHash);

    FileState previous;
    String backupPath;
    if (seen.backup().exists()) {
      previous = seen.backup();
      backupPath = backup;
    } else if (seen.markerExists()) {
      previous = FileState.ABSENT;
      backupPath = null;
    } else {
      previous = now;
      backupPath = now.exists() ? backup : null;
    }
    boolean ourEarlierWrite = seen.backup().exists() || seen.markerExists();
    boolean identical =
        now.exists()
            && now.sha256().equals(hash)
            && modeMatches(request.mode(), now.mode())
            && ownerMatches(request.owner(), now.owner());
    if (identical) {
      return new PutResult(
          path,
          previous.exists(),
          previous.sha256(),
          previous.modeText(),
          previous.owner(),
          ourEarlierWrite ? backupPath : null,
          hash,
          ourEarlierWrite);
    }

    String mode = request.mode() != null ? request.mode() : now.exists() ? now.modeText() : null;
    // An owner kept from the previous file goes by number: its user may have no name on this host.
    String owner = request.owner() != null ? request.owner() : now.exists() ? now.ids() : null;
    String p = Sh.quote(path);
    String script =
        "p="
            + p
            + "; b="
            + Sh.quote(backup)
            + "; m="
            + Sh.quote(marker)
            + "\n"
            + "d=$(dirname -- \"$p\"); [ -d \"$d\" ] || { echo \"$d: No such file or directory\" >&2; exit 1; }\n"
            + "if [ -e \"$p\" ]; then\n"
            + "  if [ ! -e \"$b\" ] && [ ! -e \"$m\" ]; then cp -p -- \"$p\" \"$b.part\" && mv -f -- \"$b.part\" \"$b\" || exit 1; fi\n"
            + "elif [ ! -e \"$b\" ] && [ ! -e \"$m\" ]; then\n"
            + "  : > \"$m\" || exit 1\n"
            + "fi\n"
            + "t=$(mktemp \"$p.cutover-XXXXXX\") || exit 1\n"
            + "trap 'rm -f \"$t\"' EXIT\n"
            + "cat > \"$t\" || exit 1\n"
            // owner first: chown clears setuid and setgid bits, which the mode may set
            + (owner != null
                ? "o="
                    + Sh.quote(owner)
                    + "\n"
                    + "case $o in [0-9]*:[0-9]*) f='%u:%g';; *:*) f='%U:%G';; *) f='%U';; esac\n"
                    + "[ \"$(stat -c \"$f\" -- \"$t\")\" = \"$o\" ] || chown -- \"$o\" \"$t\" || exit 1\n"
                : "")
            + (mode != null
                ? "chmod " + Sh.quote(mode) + " \"$t\" || exit 1\n"
                : "um=$(umask); chmod \"$(printf '%o' $(( 0666 & ~um )))\" \"$t\" || exit 1\n")
            + "mv -f -- \"$t\" \"$p\"";
    ShellResult result =
        host.exec(new ShellCommand(script, null, mask, null, host.sudo, bytes, TIMEOUT));
    if (!result.ok()) {
      throw host.failure("writing " + path, result);
    }
    heartbeat.beat(new RunProgress(elapsed(started), "wrote " + path));
    return new PutResult(
        path,
        previous.exists(),
        previous.sha256(),
        previous.modeText(),
        previous.owner(),
        previous.exists() ? backupPath : null,
        hash,
        true);
  }

  /** The secret's value; a failure names the step, the host and the reference, never a value. */
  private String resolve(String reference, String where) {
    try {
      return secrets.resolve(reference);
    } catch (ApplicationFailure f) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": content: " + f.getOriginalMessage(), f.getType());
    }
  }

  private static void validate(PutRequest r, String where) {
    String problem = null;
    if (r.path() == null || !r.path().startsWith("/") || r.path().endsWith("/")) {
      problem = "the file needs an absolute path, not " + r.path();
    } else if ((r.content() == null) == (r.contentSecret() == null)) {
      problem = "exactly one of content and contentSecret must be given";
    } else if (r.mode() != null && !MODE.matcher(r.mode()).matches()) {
      problem = "mode " + r.mode() + " is not an octal mode like 0644";
    } else if (r.owner() != null && !OWNER.matcher(r.owner()).matches()) {
      problem = "owner " + r.owner() + " is not user or user:group";
    } else if (r.migration() == null || r.migration().isBlank()) {
      problem = "the migration has no name";
    }
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": " + problem, CutoverErrors.INVALID_CONFIG);
    }
  }

  // --- restore
  // --------------------------------------------------------------------------------------

  private PutRestoreResult putBack(PutRestoreRequest request, Heartbeat<RunProgress> heartbeat) {
    long started = System.nanoTime();
    String where = "step " + request.step() + " on host " + request.hostName();
    PutResult written = request.written();
    if (written == null || written.path() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": nothing to restore: the put recorded no file", CutoverErrors.INVALID_CONFIG);
    }
    String path = written.path();
    Remote host = new Remote(request.hostName(), request.host(), request.sudo(), where, path);
    String backup = written.backupPath();
    Inspection seen = host.inspect(backup, null);
    FileState now = seen.file();
    heartbeat.beat(new RunProgress(elapsed(started), "read " + path));
    String p = Sh.quote(path);
    // The absent marker's name holds the migration, which the undo does not get: it is found by the
    // name of the step that wrote it, which the undo's name (STEP.undo) ends with.
    String markers =
        "for m in \"$p\".cutover-*-"
            + Sh.quote(pathPart(putStep(request.step())))
            + ".absent; do rm -f -- \"$m\"; done";

    if (!written.previousExisted()) {
      if (!now.exists()) {
        host.execChecked("p=" + p + "\n" + markers, "removing the marker of " + path);
        return new PutRestoreResult(path, false, null, false);
      }
      if (!now.sha256().equals(written.sha256())) {
        throw edited(where, path, null);
      }
      host.execChecked("p=" + p + "\nrm -f -- \"$p\" || exit 1\n" + markers, "removing " + path);
      heartbeat.beat(new RunProgress(elapsed(started), "removed " + path));
      return new PutRestoreResult(path, false, null, true);
    }

    if (seen.backup().exists()) {
      boolean ours =
          now.exists()
              && (now.sha256().equals(written.sha256())
                  || now.sha256().equals(written.previousSha256()));
      if (!ours) {
        throw edited(where, path, backup);
      }
      host.execChecked("mv -f -- " + Sh.quote(backup) + " " + p, "putting " + backup + " back");
      heartbeat.beat(new RunProgress(elapsed(started), "restored " + path));
      return new PutRestoreResult(path, true, seen.backup().sha256(), true);
    }
    if (now.exists() && now.sha256().equals(written.previousSha256())) {
      return new PutRestoreResult(path, true, now.sha256(), false);
    }
    if (now.exists() && now.sha256().equals(written.sha256())) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": cannot put the previous " + path + " back: its backup " + backup + " is gone",
          CutoverErrors.STATE_CONFLICT);
    }
    throw edited(where, path, backup);
  }

  private static ApplicationFailure edited(String where, String path, String backup) {
    return ApplicationFailure.newNonRetryableFailure(
        where
            + ": "
            + path
            + " was changed since the put (it is neither what "
            + "the put wrote nor the previous file); not overwritten"
            + (backup != null ? "; the previous file is at " + backup : ""),
        CutoverErrors.STATE_CONFLICT);
  }

  // --- the host
  // -------------------------------------------------------------------------------------

  /**
   * A file as the host shows it: hash, mode and owner (no content ever leaves the host but the
   * hash).
   */
  record FileState(boolean exists, String sha256, String mode, String owner, String ids) {
    static final FileState ABSENT = new FileState(false, null, null, null, null);

    /** The mode in octal with four digits, like {@code 0644}. */
    String modeText() {
      if (mode == null) {
        return null;
      }
      return "0000".substring(Math.min(4, mode.length())) + mode;
    }
  }

  /**
   * The file, its backup and whether the absent marker is there; hashes sealed with the host's key.
   *
   * <p>Results go into the history, and a plain SHA-256 of a short secret (a file holding one
   * password) could be guessed offline from it. So every hash a result records is an HMAC keyed
   * with a random key that stays on the host ({@code ~/.cutover/hash.key}, mode 600): equal files
   * still compare equal, and nobody without the host can test a guess.
   */
  record Inspection(FileState file, FileState backup, boolean markerExists, byte[] key) {
    String seal(String rawSha256) {
      if (rawSha256 == null) {
        return null;
      }
      try {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return "hmac-sha256:"
            + HexFormat.of().formatHex(mac.doFinal(rawSha256.getBytes(StandardCharsets.US_ASCII)));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    FileState sealed(FileState state) {
      return state.exists()
          ? new FileState(true, seal(state.sha256()), state.mode(), state.owner(), state.ids())
          : state;
    }
  }

  /** One host and one path, with the step's sudo. */
  private final class Remote {
    private final HostShell shell;
    private final boolean sudo;
    private final String where;
    private final String path;

    Remote(String hostName, Host host, Boolean stepSudo, String where, String path) {
      this.shell = shells.shell(hostName, host);
      this.sudo = host != null ? host.sudoFor(stepSudo) : Boolean.TRUE.equals(stepSudo);
      this.where = where;
      this.path = path;
    }

    /** Reads the file's, the backup's (if a path is given) and the marker's state in one script. */
    Inspection inspect(String backup, String marker) {
      String script =
          "desc() {\n"
              + "  if [ -L \"$1\" ]; then echo \"link $(readlink -- \"$1\")\"\n"
              + "  elif [ -e \"$1\" ]; then\n"
              + "    [ -f \"$1\" ] || { echo other; return 0; }\n"
              + "    s=$(stat -c '%a %U:%G %u:%g' -- \"$1\") && h=$(sha256sum < \"$1\") || return 1\n"
              + "    echo \"present $s ${h%% *}\"\n"
              + "  else echo absent; fi\n"
              + "}\n"
              + "printf 'file '; desc "
              + Sh.quote(path)
              + " || exit 1\n"
              + (backup != null
                  ? "printf 'backup '; desc " + Sh.quote(backup) + " || exit 1\n"
                  : "echo 'backup absent'\n")
              + (marker != null
                  ? "if [ -e "
                      + Sh.quote(marker)
                      + " ]; then echo 'marker present'; else echo 'marker absent'; fi\n"
                  : "echo 'marker absent'\n")
              // Last, so a failure's output never shows it: the key the hashes in results are
              // sealed with.
              + "k=\"$HOME/.cutover/hash.key\"\n"
              + "if [ ! -s \"$k\" ]; then (umask 077 && mkdir -p \"$HOME/.cutover\" && od -An -N32 -tx1 /dev/urandom | tr -d ' \\n' > \"$k.$$\" && mv -f \"$k.$$\" \"$k\") || exit 1; fi\n"
              + "printf 'key '; cat \"$k\" || exit 1; echo\n";
      ShellResult result = exec(ShellCommand.of(script, TIMEOUT).withSudo(sudo));
      if (!result.ok()) {
        throw failure("reading " + path, result);
      }
      FileState file = null;
      FileState saved = FileState.ABSENT;
      boolean markerExists = false;
      byte[] key = null;
      for (String line : result.stdout().split("\n")) {
        if (line.startsWith("key ") && line.length() > 4) {
          key = HexFormat.of().parseHex(line.substring(4).strip());
        }
        if (line.startsWith("file ")) {
          file = parse(line.substring(5), path);
        } else if (line.startsWith("backup ")) {
          saved = parse(line.substring(7), backup);
        } else if (line.equals("marker present")) {
          markerExists = true;
        }
      }
      if (file == null || key == null || key.length < 16) {
        // Not the output: on this path it may hold the key.
        throw ApplicationFailure.newFailure(
            where + ": cannot read the state of " + path + " (exit " + result.exitCode() + ")",
            CutoverErrors.COMMAND_FAILED);
      }
      Inspection raw = new Inspection(file, saved, markerExists, key);
      return new Inspection(raw.sealed(file), raw.sealed(saved), markerExists, key);
    }

    private FileState parse(String text, String which) {
      String[] f = text.strip().split(" ");
      switch (f[0]) {
        case "absent" -> {
          return FileState.ABSENT;
        }
        case "present" -> {
          if (f.length != 5) {
            throw ApplicationFailure.newFailure(
                where + ": cannot read the state of " + which + ": " + text,
                CutoverErrors.COMMAND_FAILED);
          }
          return new FileState(true, f[4], f[1], f[2], f[3]);
        }
        case "link" ->
            throw ApplicationFailure.newNonRetryableFailure(
                where
                    + ": "
                    + which
                    + " is a symbolic link"
                    + (f.length > 1 ? " (to " + text.substring(5).strip() + ")" : "")
                    + "; give the path of the file itself",
                CutoverErrors.INVALID_CONFIG);
        default ->
            throw ApplicationFailure.newNonRetryableFailure(
                where + ": " + which + " exists and is not a regular file",
                CutoverErrors.INVALID_CONFIG);
      }
    }

    ShellResult exec(ShellCommand command) {
      return shell.exec(command);
    }

    void execChecked(String script, String doing) {
      ShellResult result = exec(ShellCommand.of(script, TIMEOUT).withSudo(sudo));
      if (!result.ok()) {
        throw failure(doing, result);
      }
    }

    ApplicationFailure failure(String doing, ShellResult result) {
      String out = result.outputTail();
      if (!result.timedOut() && !ShellFailures.sudoRefused(result)) {
        if (out.contains("invalid user")
            || out.contains("invalid group")
            || out.contains("invalid spec")) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              where + ": " + doing + ": unknown owner (" + result.lastLine() + ")",
              CutoverErrors.INVALID_CONFIG,
              null,
              result.asRunResult());
        }
        if (ShellFailures.refusedByFileSystem(result)) {
          return ShellFailures.permissionDenied(
              where + ": " + doing + ": " + result.lastLine(), sudo, result);
        }
        if (out.contains("No such file or directory")
            || out.contains("Not a directory")
            || out.contains("Directory nonexistent")) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              where + ": " + doing + ": the directory does not exist (" + result.lastLine() + ")",
              CutoverErrors.INVALID_CONFIG,
              null,
              result.asRunResult());
        }
        if (result.exitCode() == ShellFailures.EXIT_NOT_FOUND) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              where
                  + ": "
                  + doing
                  + ": a tool is missing ("
                  + result.lastLine()
                  + "); put needs stat, sha256sum and mktemp (coreutils)",
              CutoverErrors.MISSING_TOOL,
              null,
              result.asRunResult());
        }
      }
      return ShellFailures.failure(where + ": " + doing, result);
    }
  }

  // --- helpers
  // --------------------------------------------------------------------------------------

  private static boolean modeMatches(String wanted, String actual) {
    return wanted == null || Integer.parseInt(wanted, 8) == Integer.parseInt(actual, 8);
  }

  /** {@code user} compares with the user part only; {@code user:group} with both. */
  private static boolean ownerMatches(String wanted, String actual) {
    if (wanted == null) {
      return true;
    }
    return wanted.contains(":") ? wanted.equals(actual) : actual.startsWith(wanted + ":");
  }

  /** The put step an undo belongs to: the workflow runs the undo of STEP as STEP.undo. */
  static String putStep(String undoStep) {
    return undoStep.endsWith(UNDO_SUFFIX)
        ? undoStep.substring(0, undoStep.length() - UNDO_SUFFIX.length())
        : undoStep;
  }

  /** A name from the plan as part of a file name: no slash, nothing a shell glob would read. */
  static String pathPart(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() ? "_" : safe;
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long elapsed(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
