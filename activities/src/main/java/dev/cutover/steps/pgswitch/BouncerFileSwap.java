package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.plan.Host;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The PgBouncer config file on the bouncer's host, read and replaced through the host's shell (as
 * the step's login, through sudo when the step uses it). A replacement is staged before the freeze
 * (the new file written beside the old one with its mode and owner, the old one copied to {@code
 * FILE.cutover-backup}), so inside the freeze it is one script: the file is still what was read,
 * then one {@code mv}. A file changed by someone else after it was read is not overwritten.
 */
final class BouncerFileSwap {
  /** How long a script on the bouncer's host may run: reading or replacing one small file. */
  static final Duration FILE_TIMEOUT = Duration.ofSeconds(15);

  /** Suffix of the file as it was before cutover's last change to it. */
  static final String BACKUP_SUFFIX = ".cutover-backup";

  /** Suffix of the new file while it waits for its {@code mv}. */
  static final String TEMP_SUFFIX = ".cutover-new";

  /** Exit codes of the file scripts: what went wrong, so the message can say it. */
  static final int EXIT_NO_FILE = 10;

  static final int EXIT_UNREADABLE = 11;
  static final int EXIT_UNWRITABLE = 12;
  static final int EXIT_CHANGED = 13;

  private static final String SUM_MARK = "cutover-sha256 ";

  /** The file's real path, a symlink followed: the rename must replace the target. */
  private static final String RESOLVE = "\nif [ -L \"$f\" ]; then f=$(readlink -f -- \"$f\"); fi";

  private final PgBouncerSpec spec;
  private final Host host;
  private final HostShells shells;
  private final boolean sudo;
  private HostShell shell;
  private BouncerConfig config;
  private String configSum;
  private BouncerConfig staged;

  BouncerFileSwap(PgBouncerSpec spec, Host host, HostShells shells, boolean sudo) {
    this.spec = spec;
    this.host = host;
    this.shells = shells;
    this.sudo = sudo;
  }

  /** The file as last read or written. */
  BouncerConfig config() {
    return config;
  }

  /** Reads the file through the host's shell (opened here once), checking it can be replaced. */
  void read() {
    if (shell == null) {
      shell = shells.shell(spec.host(), host);
    }
    String script =
        "f="
            + Sh.quote(spec.config())
            + RESOLVE
            + "\n[ -f \"$f\" ] || exit "
            + EXIT_NO_FILE
            + "\n[ -r \"$f\" ] || exit "
            + EXIT_UNREADABLE
            + "\nd=$(dirname -- \"$f\")"
            + "\n{ [ -w \"$f\" ] && [ -w \"$d\" ]; } || exit "
            + EXIT_UNWRITABLE
            + "\ns=$(sha256sum < \"$f\") || exit 1"
            + "\nprintf '%s%s\\n' "
            + Sh.quote(SUM_MARK)
            + " \"${s%% *}\""
            + "\nbase64 < \"$f\"";
    ShellResult r = shell.exec(command(script, null));
    if (!r.ok()) {
      throw failure(r, "read");
    }
    if (r.truncated()) {
      throw ApplicationFailure.newNonRetryableFailure(
          describe()
              + ": "
              + spec.config()
              + " is larger than "
              + HostShell.STDOUT_LIMIT
              + " bytes",
          CutoverErrors.INVALID_CONFIG);
    }
    // The file travels as base64: output lines are cut, masked and their line ends normalised,
    // and a rewrite must give back every byte it did not mean to change.
    String out = r.stdout();
    int nl = out.indexOf('\n');
    if (!out.startsWith(SUM_MARK) || nl < 0) {
      throw ApplicationFailure.newFailure(
          describe() + ": reading " + spec.config() + " gave no checksum",
          CutoverErrors.COMMAND_FAILED);
    }
    String sum = out.substring(SUM_MARK.length(), nl).trim();
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(out.substring(nl + 1).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newFailure(
          describe() + ": reading " + spec.config() + " gave malformed output",
          CutoverErrors.COMMAND_FAILED);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      text = null;
    }
    if (!sum.equals(sha256(bytes)) || text == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          describe()
              + ": "
              + spec.config()
              + (text == null
                  ? " is not UTF-8 text; cutover only rewrites a file it reads back exactly"
                  : " was not read back exactly; not rewritten"),
          CutoverErrors.INVALID_CONFIG);
    }
    BouncerConfig read = new BouncerConfig(text);
    try {
      if (read.line(spec.database()) == null) {
        List<String> names = read.names();
        throw ApplicationFailure.newNonRetryableFailure(
            describe()
                + ": "
                + spec.config()
                + " has no entry "
                + spec.database()
                + " in its [databases] section"
                + (names.isEmpty()
                    ? ""
                    : " (it has "
                        + String.join(", ", names.size() <= 10 ? names : names.subList(0, 10))
                        + ")"),
            CutoverErrors.INVALID_CONFIG);
      }
    } catch (IllegalStateException twice) {
      throw ApplicationFailure.newNonRetryableFailure(
          describe() + ": " + spec.config() + ": " + twice.getMessage(),
          CutoverErrors.INVALID_CONFIG);
    }
    config = read;
    configSum = sum;
    staged = null;
  }

  /**
   * Before the freeze: writes {@code next} beside the file (its mode and owner copied) and keeps
   * the file as it is as the backup, so {@link #replace} of the same text is one rename.
   */
  void stage(BouncerConfig next) {
    String script =
        "set -e\nf="
            + Sh.quote(spec.config())
            + RESOLVE
            + sumCheck()
            + "\nt=\"$f"
            + TEMP_SUFFIX
            + "\"\ncp -p -- \"$f\" \"$t\"\ncat > \"$t\"\ncp -p -- \"$f\" \"$f"
            + BACKUP_SUFFIX
            + "\"";
    ShellResult r = shell.exec(command(script, next.text().getBytes(StandardCharsets.UTF_8)));
    if (!r.ok()) {
      throw failure(r, "stage the new");
    }
    staged = next;
  }

  /**
   * Replaces the file with {@code next} unless it changed since it was read: a rename of the staged
   * file when {@code next} is what was staged, else written here (a hard link to the old file as
   * the backup, falling back to a copy; a copy of its mode and owner with the new text, renamed).
   */
  void replace(BouncerConfig next) {
    String script;
    byte[] stdin = null;
    String start = "set -e\nf=" + Sh.quote(spec.config()) + RESOLVE + sumCheck();
    if (staged != null && staged.text().equals(next.text())) {
      script = start + "\nmv -f -- \"$f" + TEMP_SUFFIX + "\" \"$f\"";
    } else {
      script =
          start
              + "\nt=\"$f"
              + TEMP_SUFFIX
              + "\"\ncp -p -- \"$f\" \"$t\"\ncat > \"$t\""
              + "\nln -f -- \"$f\" \"$f"
              + BACKUP_SUFFIX
              + "\" 2>/dev/null || cp -p -- \"$f\" \"$f"
              + BACKUP_SUFFIX
              + "\"\nmv -f -- \"$t\" \"$f\"";
      stdin = next.text().getBytes(StandardCharsets.UTF_8);
    }
    ShellResult r = shell.exec(command(script, stdin));
    staged = null;
    if (!r.ok()) {
      throw failure(r, "rewrite");
    }
    config = next;
    configSum = sha256(next.text().getBytes(StandardCharsets.UTF_8));
  }

  /** The file still has the checksum it had when read, else exit {@link #EXIT_CHANGED}. */
  private String sumCheck() {
    return "\ns=$(sha256sum < \"$f\")\n[ \"${s%% *}\" = "
        + Sh.quote(configSum)
        + " ] || exit "
        + EXIT_CHANGED;
  }

  private ShellCommand command(String script, byte[] stdin) {
    return new ShellCommand(script, Map.of(), List.of(), null, sudo, stdin, FILE_TIMEOUT);
  }

  private ApplicationFailure failure(ShellResult r, String doing) {
    String login =
        (host != null && host.usesSsh() ? host.userOrDefault() : System.getProperty("user.name"))
            + (sudo ? " through sudo" : "");
    String file = "host " + spec.host() + ": " + spec.config();
    return switch (r.timedOut() ? -1 : r.exitCode()) {
      case EXIT_NO_FILE ->
          ApplicationFailure.newNonRetryableFailure(
              file + " does not exist (the bouncer's config: " + describe() + ")",
              CutoverErrors.INVALID_CONFIG);
      case EXIT_UNREADABLE ->
          ShellFailures.permissionDenied(file + " cannot be read by " + login, sudo, r);
      case EXIT_UNWRITABLE ->
          ShellFailures.permissionDenied(
              file
                  + " or its directory cannot be written by "
                  + login
                  + " (a temp file is moved over it)",
              sudo,
              r);
      case EXIT_CHANGED ->
          ApplicationFailure.newNonRetryableFailure(
              file + " changed since the step read it; not overwritten: a person must look",
              CutoverErrors.STATE_CONFLICT);
      default -> ShellFailures.failure(file + ": " + doing, r);
    };
  }

  private String describe() {
    return "pgbouncer on "
        + spec.host()
        + ":"
        + spec.portOrDefault()
        + ", database "
        + spec.database();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
