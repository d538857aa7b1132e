package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.plan.Host;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgQuote;
import dev.cutover.steps.postgres.PgSessions;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds clients at a PgBouncer while a switch runs: {@code PAUSE db} (clients wait in PgBouncer,
 * their server connections are released), the {@code [databases]} entry rewritten in the config
 * file on the bouncer's host and {@code RELOAD}, then {@code RESUME db}: the waiting clients go on,
 * to the new server, without an error.
 *
 * <p>Everything that costs a set-up happens in {@link #prepare()}: two connections to the admin
 * console (database {@code pgbouncer}, spoken to directly, see {@link BouncerWire}; the second one
 * resumes when a PAUSE did not finish in time), the host's shell opened by reading the config file.
 * Inside the freeze a console command is one round trip and a repoint one script on the host (write
 * a temp file, keep a backup, {@code mv}) plus RELOAD and a {@code SHOW DATABASES} that proves
 * PgBouncer took the new entry.
 *
 * <p>The file is rewritten through the host's shell, as the step's login (with sudo when the step
 * runs through it); only the entry's line changes, its mode and owner are kept, and the file as it
 * was before the change is kept beside it as {@code FILE.cutover-backup}. A file changed by someone
 * else after {@link #prepare()} is not overwritten.
 */
public final class PgBouncerHold implements SwitchHold {
  /** How long the console may take to connect or answer a command other than PAUSE. */
  static final Duration CONSOLE_TIMEOUT = Duration.ofSeconds(5);

  /** How long a script on the bouncer's host may run: reading or replacing one small file. */
  static final Duration FILE_TIMEOUT = Duration.ofSeconds(15);

  /** Suffix of the file as it was before cutover's last change to it. */
  static final String BACKUP_SUFFIX = ".cutover-backup";

  /** Suffix of the new file while it is written, before the {@code mv}. */
  static final String TEMP_SUFFIX = ".cutover-new";

  /** Exit codes of the file scripts: what went wrong, so the message can say it. */
  static final int EXIT_NO_FILE = 10;

  static final int EXIT_UNREADABLE = 11;
  static final int EXIT_UNWRITABLE = 12;
  static final int EXIT_CHANGED = 13;

  private static final String SUM_MARK = "cutover-sha256 ";
  private static final Pattern NOT_PAUSED = Pattern.compile("is not paused|not paused");
  private static final Pattern NO_DATABASE = Pattern.compile("no such database");
  private static final Pattern REFUSED =
      Pattern.compile(
          "authentication failed|not allowed|no such user|password|admin access needed",
          Pattern.CASE_INSENSITIVE);

  private final PgBouncerSpec spec;
  private final Host host;
  private final String address;
  private final String password;
  private final HostShells shells;
  private final boolean sudo;

  private HostShell shell;
  private BouncerWire console;
  private BouncerWire spare;
  private BouncerConfig config;
  private String configSum;
  private String originalLine;
  private boolean held;

  /**
   * @param spec the plan's bouncer
   * @param host the plan's host {@code spec.host()} (its shell rewrites the file; over SSH its
   *     address is where the console is reached, else 127.0.0.1)
   * @param adminPassword the resolved password of {@code spec.adminUser()}; {@code null} for none
   * @param sudo whether the file is read and written through sudo
   */
  public PgBouncerHold(
      PgBouncerSpec spec, Host host, String adminPassword, HostShells shells, boolean sudo) {
    this.spec = spec;
    this.host = host;
    this.address =
        host != null && host.usesSsh() && host.address() != null && !host.address().isBlank()
            ? host.address()
            : "127.0.0.1";
    this.password = adminPassword;
    this.shells = shells;
    this.sudo = sudo;
  }

  @Override
  public String describe() {
    return "pgbouncer on "
        + spec.host()
        + ":"
        + spec.portOrDefault()
        + ", database "
        + spec.database();
  }

  /**
   * Opens the console connections and the host's shell, and reads the entry from PgBouncer and from
   * the file. A file that says something else than PgBouncer serves is not refused here: that is
   * what a worker that died between rewriting the file and RELOAD leaves, and the next attempt must
   * be able to point the entry where it belongs. Preflight reports it; {@link #pointAt} proves
   * after its RELOAD that PgBouncer took the entry.
   */
  @Override
  public void prepare() {
    openConsoles();
    liveEntry();
    readFile();
    originalLine = config.line(spec.database());
  }

  /**
   * What the step needs before anything changes, each problem a line: the admin login works, the
   * entry is served and is in the file, the file is readable and writable where it is (by the
   * step's login, through sudo when the step uses it). Changes nothing.
   */
  public List<String> preflight() {
    List<String> problems = new ArrayList<>();
    BouncerEntry live = null;
    try {
      openConsoles();
      live = liveEntry();
    } catch (ApplicationFailure f) {
      problems.add(PreflightCheck.typed(f));
    }
    try {
      readFile();
      BouncerEntry inFile = config.entry(spec.database());
      if (live != null && !sameTarget(live, inFile)) {
        problems.add(
            "["
                + CutoverErrors.INVALID_CONFIG
                + "] "
                + describe()
                + ": PgBouncer sends the entry to "
                + live.describeTarget()
                + " but "
                + spec.config()
                + " says "
                + inFile.describeTarget());
      }
    } catch (ApplicationFailure f) {
      problems.add(PreflightCheck.typed(f));
    }
    return problems;
  }

  @Override
  public void hold(Duration timeout) {
    requirePrepared();
    if (held) {
      return;
    }
    try {
      // PAUSE answers once every server connection of the database is back in the pool, unused.
      connected().query("PAUSE " + PgQuote.ident(spec.database()), timeout);
      held = true;
    } catch (SocketTimeoutException e) {
      // The clients must not stay held: resume on the spare connection, then fail.
      resumeQuietly();
      throw ApplicationFailure.newFailure(
          describe()
              + ": PAUSE did not finish within "
              + timeout.toMillis()
              + " ms (a client kept its server connection: a long transaction, or session"
              + " pooling); resumed, clients go on as before",
          CutoverErrors.COMMAND_TIMED_OUT);
    } catch (IOException | SQLException e) {
      resumeQuietly();
      throw failure("PAUSE", e);
    }
  }

  @Override
  public void pointAt(PgEndpoint target) {
    requirePrepared();
    String targetAddress = PgSessions.address(target);
    String entry = spec.database();
    boolean onBouncerHost = target.hostName() != null && target.hostName().equals(spec.host());
    BouncerEntry original = BouncerConfig.parse(entry, valueOf(originalLine));
    String newLine =
        original.sendsTo(targetAddress, target.portOrDefault(), target.database(), onBouncerHost)
            ? originalLine
            : config.repointedLine(entry, targetAddress, target.portOrDefault(), target.database());
    if (!newLine.equals(config.line(entry))) {
      writeFile(config.withLine(entry, newLine));
    }
    try {
      connected().query("RELOAD", CONSOLE_TIMEOUT);
    } catch (IOException | SQLException e) {
      throw failure("RELOAD", e);
    }
    BouncerEntry live = liveEntry();
    if (!live.sendsTo(targetAddress, target.portOrDefault(), target.database(), onBouncerHost)) {
      throw ApplicationFailure.newFailure(
          describe()
              + ": after RELOAD PgBouncer still sends the entry to "
              + live.describeTarget()
              + ", not "
              + targetAddress
              + ":"
              + target.portOrDefault()
              + "/"
              + target.database()
              + "; is "
              + spec.config()
              + " the file PgBouncer reads?",
          CutoverErrors.COMMAND_FAILED);
    }
  }

  @Override
  public boolean pointsAt(PgEndpoint target) {
    String targetAddress = PgSessions.address(target);
    boolean onBouncerHost = target.hostName() != null && target.hostName().equals(spec.host());
    if (console == null || !console.isOpen()) {
      openConsoles();
    }
    BouncerEntry live = liveEntry();
    readFile();
    BouncerEntry inFile = config.entry(spec.database());
    return live.sendsTo(targetAddress, target.portOrDefault(), target.database(), onBouncerHost)
        && inFile.sendsTo(targetAddress, target.portOrDefault(), target.database(), onBouncerHost);
  }

  @Override
  public void release() {
    try {
      resume(connected());
      held = false;
    } catch (IOException | SQLException e) {
      throw failure("RESUME", e);
    }
  }

  /** Releases what this object holds, if it still does, and closes the console connections. */
  @Override
  public void close() {
    if (held) {
      resumeQuietly();
      held = false;
    }
    for (BouncerWire w : new BouncerWire[] {console, spare}) {
      if (w != null) {
        w.close();
      }
    }
    console = null;
    spare = null;
  }

  // --- the console ------------------------------------------------------------------------------

  private void openConsoles() {
    if (console == null || !console.isOpen()) {
      console = connect();
    }
    if (spare == null || !spare.isOpen()) {
      spare = connect();
    }
  }

  private BouncerWire connect() {
    try {
      return new BouncerWire(
          address, spec.portOrDefault(), spec.adminUser(), password, CONSOLE_TIMEOUT);
    } catch (IOException | SQLException e) {
      throw failure("login", e);
    }
  }

  /** The console connection, connected again if a timeout closed it. */
  private BouncerWire connected() {
    if (console == null || !console.isOpen()) {
      console = spare != null && spare.isOpen() ? spare : connect();
      spare = null;
    }
    return console;
  }

  private BouncerEntry liveEntry() {
    List<Map<String, String>> rows;
    try {
      rows = connected().query("SHOW DATABASES", CONSOLE_TIMEOUT);
    } catch (IOException | SQLException e) {
      throw failure("SHOW DATABASES", e);
    }
    for (Map<String, String> row : rows) {
      if (spec.database().equals(row.get("name"))) {
        Integer port = null;
        try {
          port = row.get("port") == null ? null : Integer.valueOf(row.get("port"));
        } catch (NumberFormatException e) {
          // left to the default
        }
        return new BouncerEntry(row.get("name"), row.get("host"), port, row.get("database"));
      }
    }
    throw ApplicationFailure.newNonRetryableFailure(
        describe()
            + ": PgBouncer has no database entry "
            + spec.database()
            + " (SHOW DATABASES); add it to "
            + spec.config(),
        CutoverErrors.INVALID_CONFIG);
  }

  private void resume(BouncerWire wire) throws IOException, SQLException {
    try {
      wire.query("RESUME " + PgQuote.ident(spec.database()), CONSOLE_TIMEOUT);
    } catch (SQLException e) {
      if (e.getMessage() == null || !NOT_PAUSED.matcher(e.getMessage()).find()) {
        throw e;
      }
    }
  }

  private void resumeQuietly() {
    try {
      BouncerWire wire = spare != null && spare.isOpen() ? spare : connected();
      resume(wire);
    } catch (IOException | SQLException | RuntimeException e) {
      // the failure being thrown says what went wrong; a resume that fails too is its consequence
    }
  }

  private ApplicationFailure failure(String doing, Exception e) {
    String text = mask(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    String where =
        "pgbouncer on "
            + spec.host()
            + " ("
            + address
            + ":"
            + spec.portOrDefault()
            + "), admin user "
            + spec.adminUser();
    if (e instanceof SQLException sql) {
      String state = sql.getSQLState() == null ? "" : sql.getSQLState();
      if (state.startsWith("28") || REFUSED.matcher(text).find()) {
        return ApplicationFailure.newNonRetryableFailure(
            where
                + ": the admin console refused "
                + doing
                + " ("
                + text
                + "): a wrong password, or the user is not in admin_users",
            CutoverErrors.DB_AUTH_FAILED);
      }
      if (NO_DATABASE.matcher(text).find()) {
        return ApplicationFailure.newNonRetryableFailure(
            describe() + ": " + doing + ": " + text + "; add the entry to " + spec.config(),
            CutoverErrors.INVALID_CONFIG);
      }
      return ApplicationFailure.newFailure(
          where + ": " + doing + " failed: " + text, CutoverErrors.COMMAND_FAILED);
    }
    return ApplicationFailure.newFailure(
        where + ": " + doing + ": the console does not answer (" + text + ")",
        CutoverErrors.DB_UNREACHABLE);
  }

  private String mask(String text) {
    return password == null || password.isEmpty() ? text : text.replace(password, "***");
  }

  // --- the config file --------------------------------------------------------------------------

  /** Reads the file through the host's shell, checking it can be replaced where it is. */
  private void readFile() {
    if (shell == null) {
      shell = shells.shell(spec.host(), host);
    }
    String script =
        "f="
            + Sh.quote(spec.config())
            + "\nif [ -L \"$f\" ]; then f=$(readlink -f -- \"$f\"); fi"
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
      throw fileFailure(r, "read");
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
        throw ApplicationFailure.newNonRetryableFailure(
            describe()
                + ": "
                + spec.config()
                + " has no entry "
                + spec.database()
                + " in its [databases] section"
                + (read.names().isEmpty()
                    ? ""
                    : " (it has " + String.join(", ", first(read.names())) + ")"),
            CutoverErrors.INVALID_CONFIG);
      }
    } catch (IllegalStateException twice) {
      throw ApplicationFailure.newNonRetryableFailure(
          describe() + ": " + spec.config() + ": " + twice.getMessage(),
          CutoverErrors.INVALID_CONFIG);
    }
    config = read;
    configSum = sum;
  }

  /** Replaces the file with {@code next} unless it changed since it was read. */
  private void writeFile(BouncerConfig next) {
    // As few programs as a safe replace takes: this runs inside the freeze. The backup is a hard
    // link to the file as it was (falling back to a copy), the new file a copy of its mode and
    // owner with the new text, moved over the old one in one rename.
    String script =
        "set -e\nf="
            + Sh.quote(spec.config())
            + "\nif [ -L \"$f\" ]; then f=$(readlink -f -- \"$f\"); fi"
            + "\ns=$(sha256sum < \"$f\")"
            + "\n[ \"${s%% *}\" = "
            + Sh.quote(configSum)
            + " ] || exit "
            + EXIT_CHANGED
            + "\nt=\"$f"
            + TEMP_SUFFIX
            + "\"\ncp -p -- \"$f\" \"$t\"\ncat > \"$t\""
            + "\nln -f -- \"$f\" \"$f"
            + BACKUP_SUFFIX
            + "\" 2>/dev/null || cp -p -- \"$f\" \"$f"
            + BACKUP_SUFFIX
            + "\"\nmv -f -- \"$t\" \"$f\"";
    ShellResult r = shell.exec(command(script, next.text().getBytes(StandardCharsets.UTF_8)));
    if (!r.ok()) {
      throw fileFailure(r, "rewrite");
    }
    config = next;
    configSum = sha256(next.text().getBytes(StandardCharsets.UTF_8));
  }

  private ShellCommand command(String script, byte[] stdin) {
    return new ShellCommand(script, Map.of(), List.of(), null, sudo, stdin, FILE_TIMEOUT);
  }

  private ApplicationFailure fileFailure(ShellResult r, String doing) {
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

  // --- helpers ----------------------------------------------------------------------------------

  private void requirePrepared() {
    if (config == null || console == null && spare == null) {
      throw new IllegalStateException(describe() + ": prepare() first");
    }
  }

  private static boolean sameTarget(BouncerEntry live, BouncerEntry inFile) {
    String a = live.host() == null ? "" : live.host();
    String b = inFile.host() == null ? "" : inFile.host();
    return a.equalsIgnoreCase(b)
        && live.portOrDefault() == inFile.portOrDefault()
        && live.databaseOrName().equals(inFile.databaseOrName());
  }

  /** The value part of an entry's line: after its first {@code =}. */
  private static String valueOf(String line) {
    Matcher m = Pattern.compile("^[^=]*=\\s*(.*?)\\s*$").matcher(line);
    return m.matches() ? m.group(1) : "";
  }

  private static List<String> first(List<String> names) {
    return names.size() <= 10 ? names : names.subList(0, 10);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
