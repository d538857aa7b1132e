package dev.cutover.steps.pgswitch;

import dev.cutover.hosts.HostShells;
import dev.cutover.plan.Host;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgSessions;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds clients at a PgBouncer while a switch runs: {@code PAUSE db} (clients wait in PgBouncer,
 * their server connections are released), the {@code [databases]} entry rewritten in the config
 * file on the bouncer's host and {@code RELOAD}, then {@code RESUME db}: the waiting clients go on,
 * to the new server, without an error.
 *
 * <p>Everything that costs a set-up happens before the freeze: in {@link #prepare()} two
 * connections to the admin console ({@link BouncerConsole}) and the host's shell opened by reading
 * the config file ({@link BouncerFileSwap}); in {@link #stage} the new file written beside the old
 * one. Inside the freeze a console command is one round trip and a repoint one short script on the
 * host (the file unchanged? then {@code mv}) plus RELOAD and a {@code SHOW DATABASES} that proves
 * PgBouncer took the new entry.
 *
 * <p>The file is rewritten through the host's shell, as the step's login (with sudo when the step
 * runs through it); only the entry's line changes, its mode and owner are kept, and the file as it
 * was before the change is kept beside it as {@code FILE.cutover-backup}. A file changed by someone
 * else after {@link #prepare()} is not overwritten.
 */
public final class PgBouncerHold implements SwitchHold {
  /** Suffix of the file as it was before cutover's last change to it. */
  static final String BACKUP_SUFFIX = BouncerFileSwap.BACKUP_SUFFIX;

  private final PgBouncerSpec spec;
  private final BouncerConsole console;
  private final BouncerFileSwap file;
  private String originalLine;
  private boolean held;
  private CompletableFuture<Void> swapping;
  private String swappingLine;

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
    String address =
        host != null && host.usesSsh() && host.address() != null && !host.address().isBlank()
            ? host.address()
            : "127.0.0.1";
    this.console = new BouncerConsole(spec, address, adminPassword);
    this.file = new BouncerFileSwap(spec, host, shells, sudo);
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
    console.open();
    console.liveEntry();
    file.read();
    originalLine = file.config().line(spec.database());
  }

  /** Writes the file that points at {@code target} beside the real one: a rename in the freeze. */
  @Override
  public void stage(PgEndpoint target) {
    requirePrepared();
    String line = lineFor(target);
    if (!line.equals(file.config().line(spec.database()))) {
      file.stage(file.config().withLine(spec.database(), line));
    }
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
      console.open();
      live = console.liveEntry();
    } catch (ApplicationFailure f) {
      problems.add(PreflightCheck.typed(f));
    }
    try {
      file.read();
      BouncerEntry inFile = file.config().entry(spec.database());
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
      console.pause(timeout);
      held = true;
    } catch (SocketTimeoutException e) {
      // The clients must not stay held: resume on the spare connection, then fail.
      console.resumeQuietly();
      throw ApplicationFailure.newFailure(
          describe()
              + ": PAUSE did not finish within "
              + timeout.toMillis()
              + " ms (a client kept its server connection: a long transaction, or session"
              + " pooling); resumed, clients go on as before",
          CutoverErrors.COMMAND_TIMED_OUT);
    } catch (IOException | SQLException e) {
      console.resumeQuietly();
      throw console.failure("PAUSE", e);
    }
  }

  /**
   * Renames the staged file into place (or writes it) on a thread of its own while the section
   * catches up; PgBouncer is not reloaded, so the paused clients are not affected.
   */
  @Override
  public void startRepoint(PgEndpoint target) {
    requirePrepared();
    if (!held || swapping != null) {
      return;
    }
    String line = lineFor(target);
    if (line.equals(file.config().line(spec.database()))) {
      return;
    }
    BouncerConfig next = file.config().withLine(spec.database(), line);
    swappingLine = line;
    swapping =
        CompletableFuture.runAsync(
            () -> file.replace(next),
            task -> {
              Thread t = new Thread(task, "pgbouncer-file-swap");
              t.setDaemon(true);
              t.start();
            });
  }

  @Override
  public void awaitRepoint() {
    if (swapping == null) {
      return;
    }
    try {
      swapping.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } finally {
      swapping = null;
    }
  }

  @Override
  public void pointAt(PgEndpoint target) {
    requirePrepared();
    String entry = spec.database();
    String newLine = lineFor(target);
    try {
      awaitRepoint();
    } catch (RuntimeException e) {
      // Pointing elsewhere (back, after a failure) goes on from the file as last read or written.
      if (newLine.equals(swappingLine)) {
        throw e;
      }
    }
    if (!newLine.equals(file.config().line(entry))) {
      file.replace(file.config().withLine(entry, newLine));
    }
    console.reload();
    String targetAddress = PgSessions.address(target);
    BouncerEntry live = console.liveEntry();
    if (!live.sendsTo(targetAddress, target.portOrDefault(), target.database(), onHost(target))) {
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
    boolean onBouncerHost = onHost(target);
    if (!console.isOpen()) {
      console.open();
    }
    BouncerEntry live = console.liveEntry();
    file.read();
    BouncerEntry inFile = file.config().entry(spec.database());
    return live.sendsTo(targetAddress, target.portOrDefault(), target.database(), onBouncerHost)
        && inFile.sendsTo(targetAddress, target.portOrDefault(), target.database(), onBouncerHost);
  }

  @Override
  public void release() {
    console.resume();
    held = false;
  }

  /** Releases what this object holds, if it still does, and closes the console connections. */
  @Override
  public void close() {
    try {
      awaitRepoint();
    } catch (RuntimeException e) {
      // the section's own failure says what went wrong; a pointAt after it rewrote the file
    }
    if (held) {
      console.resumeQuietly();
      held = false;
    }
    console.close();
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** The entry's line pointing at {@code target}: the original one when that already does. */
  private String lineFor(PgEndpoint target) {
    String targetAddress = PgSessions.address(target);
    BouncerEntry original = BouncerConfig.parse(spec.database(), valueOf(originalLine));
    return original.sendsTo(
            targetAddress, target.portOrDefault(), target.database(), onHost(target))
        ? originalLine
        : file.config()
            .repointedLine(
                spec.database(), targetAddress, target.portOrDefault(), target.database());
  }

  private boolean onHost(PgEndpoint target) {
    return target.hostName() != null && target.hostName().equals(spec.host());
  }

  private void requirePrepared() {
    if (file.config() == null || !console.isOpen()) {
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
}
