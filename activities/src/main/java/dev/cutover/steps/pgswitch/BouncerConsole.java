package dev.cutover.steps.pgswitch;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgQuote;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PgBouncer's admin console for one {@code [databases]} entry: two connections opened before the
 * freeze (the second resumes when a PAUSE did not finish in time and closed the first), so inside
 * the freeze a command is one round trip. Failures are typed and never carry the password.
 */
final class BouncerConsole implements AutoCloseable {
  /** How long the console may take to connect or answer a command other than PAUSE. */
  static final Duration CONSOLE_TIMEOUT = Duration.ofSeconds(5);

  private static final Pattern NOT_PAUSED = Pattern.compile("is not paused|not paused");

  /** PgBouncer's answer to a PAUSE of a paused database: a worker that died left it held. */
  private static final Pattern ALREADY_PAUSED = Pattern.compile("already suspended/paused");

  private static final Pattern NO_DATABASE = Pattern.compile("no such database");
  private static final Pattern REFUSED =
      Pattern.compile(
          "authentication failed|not allowed|no such user|password|admin access needed",
          Pattern.CASE_INSENSITIVE);

  private final PgBouncerSpec spec;
  private final String address;
  private final String password;
  private BouncerWire console;
  private BouncerWire spare;

  BouncerConsole(PgBouncerSpec spec, String address, String password) {
    this.spec = spec;
    this.address = address;
    this.password = password;
  }

  boolean isOpen() {
    return console != null && console.isOpen() || spare != null && spare.isOpen();
  }

  /** Both connections, opened where they are not. */
  void open() {
    if (console == null || !console.isOpen()) {
      console = connect();
    }
    if (spare == null || !spare.isOpen()) {
      spare = connect();
    }
  }

  /**
   * {@code PAUSE db}: answers once no server connection of the entry is in use. A database paused
   * already (by an attempt whose worker died inside the section: PgBouncer keeps it paused after
   * the console connection is gone) is held, as asked.
   *
   * @throws SocketTimeoutException past {@code timeout} (the connection is closed then)
   */
  void pause(Duration timeout) throws IOException, SQLException {
    try {
      connected().query("PAUSE " + PgQuote.ident(spec.database()), timeout);
    } catch (SQLException e) {
      if (e.getMessage() == null || !ALREADY_PAUSED.matcher(e.getMessage()).find()) {
        throw e;
      }
    }
  }

  void reload() {
    try {
      connected().query("RELOAD", CONSOLE_TIMEOUT);
    } catch (IOException | SQLException e) {
      throw failure("RELOAD", e);
    }
  }

  /** {@code RESUME db}; a database that is not paused is fine. */
  void resume() {
    try {
      resume(connected());
    } catch (IOException | SQLException e) {
      throw failure("RESUME", e);
    }
  }

  /** Resumes on the spare connection if there is one; a failure here is a consequence, dropped. */
  void resumeQuietly() {
    try {
      resume(spare != null && spare.isOpen() ? spare : connected());
    } catch (IOException | SQLException | RuntimeException e) {
      // the failure being thrown says what went wrong; a resume that fails too is its consequence
    }
  }

  /** Where PgBouncer sends the entry now ({@code SHOW DATABASES}). */
  BouncerEntry liveEntry() {
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

  /** A failure of {@code doing} on the console, typed: auth, config, or transient. */
  ApplicationFailure failure(String doing, Exception e) {
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

  @Override
  public void close() {
    for (BouncerWire w : new BouncerWire[] {console, spare}) {
      if (w != null) {
        w.close();
      }
    }
    console = null;
    spare = null;
  }

  private String describe() {
    return "pgbouncer on "
        + spec.host()
        + ":"
        + spec.portOrDefault()
        + ", database "
        + spec.database();
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

  private void resume(BouncerWire wire) throws IOException, SQLException {
    try {
      wire.query("RESUME " + PgQuote.ident(spec.database()), CONSOLE_TIMEOUT);
    } catch (SQLException e) {
      if (e.getMessage() == null || !NOT_PAUSED.matcher(e.getMessage()).find()) {
        throw e;
      }
    }
  }

  private String mask(String text) {
    return password == null || password.isEmpty() ? text : text.replace(password, "***");
  }
}
