package dev.cutover.steps.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Host;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunProgress;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cron} step between two "hosts" that share this machine. Each host gets a stand-in
 * {@code crontab} (same options and messages as Debian's, a spool of its own next to it, a list of
 * known users) and a directory in place of the connecting user's home, so the tests never touch a
 * real user's crontab. One test uses the real {@code /usr/bin/crontab}, on a user that does not
 * exist.
 */
class CronActivitiesImplTest {
  static final Host LOCAL = Host.local(null);
  static final Heartbeat<RunProgress> IGNORE = progress -> {};

  /**
   * A crontab with a credential inline, as they often have: it must never reach a result or a
   * message.
   */
  static final String OLD_TAB =
      "MAILTO=ops@example.org\n"
          + "# sync every 5 minutes\n"
          + "*/5 * * * * /srv/app/bin/sync --password=hunter2-s3cret\n"
          + "\n"
          + "0 3 * * * /srv/app/bin/report\n";

  static final String SECRET = "hunter2-s3cret";
  static final String NEW_TAB = "# new host's own\n15 * * * * /usr/local/bin/new-only\n";

  /**
   * A {@code crontab} with Debian's options and messages, keeping its spool, the users it knows
   * ({@code users}) and a log of its calls ({@code calls.log}) next to itself.
   */
  static final String STAND_IN =
      """
    #!/bin/sh
    here=$(dirname "$0")
    printf '%s\\n' "$*" >> "$here/calls.log"
    u=$(id -un)
    if [ "$1" = "-u" ]; then u=$2; shift 2; fi
    grep -qxF -- "$u" "$here/users" || { echo "crontab:  user \\`$u' unknown" >&2; exit 1; }
    f="$here/spool/$u"
    case "$1" in
      -l) [ -f "$f" ] || { echo "no crontab for $u" >&2; exit 1; }; cat "$f";;
      -r) [ -f "$f" ] || { echo "no crontab for $u" >&2; exit 1; }; rm -f "$f";;
      -) mkdir -p "$here/spool" && cat > "$f.new" && mv "$f.new" "$f";;
      *) echo "crontab: usage error: unrecognized option" >&2; exit 1;;
    esac
    """;

  @TempDir Path dir;

  private CronActivitiesImpl activities;

  @BeforeEach
  void twoHosts() throws IOException {
    for (String host : List.of("old", "new")) {
      Path h = Files.createDirectories(dir.resolve(host));
      Files.createDirectories(h.resolve("home"));
      Files.writeString(h.resolve("users"), "app\n" + currentUser() + "\n");
      Path stub = h.resolve("crontab");
      Files.writeString(stub, STAND_IN);
      Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwx------"));
    }
    activities =
        new CronActivitiesImpl(
            new HostShells(new NoSshTransport(), Set.of()),
            host -> dir.resolve(host).resolve("crontab").toString(),
            host -> dir.resolve(host).resolve("home").toString());
  }

  @Test
  void moveInstallsTheCrontabOnTheNewHostThenRemovesItOnTheOld() throws Exception {
    // given app's crontab on the old host and none on the new
    spool("old", "app", OLD_TAB);

    // when it is moved
    CronMoveResult result = activities.move(request(false), IGNORE);

    // then the new host has it, the old host has none, and both originals are saved in the
    // connecting user's home, private to that user
    assertThat(spool("new", "app")).isEqualTo(OLD_TAB);
    assertThat(spool("old", "app")).isNull();
    Path oldSaved = dir.resolve("old/home/.cutover/mig-1/move-cron/old.crontab");
    Path newSaved = dir.resolve("new/home/.cutover/mig-1/move-cron/new.absent");
    assertThat(Files.readString(oldSaved)).isEqualTo(OLD_TAB);
    assertThat(newSaved).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(oldSaved)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(oldSaved.getParent())))
        .isEqualTo("rwx------");
    // and the result has counts (2 jobs: not the comment, blank line or MAILTO), never the content
    // nor a hash of it
    assertThat(result.oldBefore()).isEqualTo(new CronState(true, 2, oldSaved.toString()));
    assertThat(result.newBefore()).isEqualTo(new CronState(false, 0, null));
    assertThat(result.oldAfter()).isEqualTo(new CronState(false, 0, null));
    assertThat(result.newAfter()).isEqualTo(new CronState(true, 2, null));
    assertThat(result.changed()).isTrue();
    assertThat(result.toString())
        .doesNotContain(SECRET)
        .doesNotContain("/srv/app/bin")
        .doesNotContain(sha256Hex(OLD_TAB));
    // and the commands went through -u app, since the test runs as another user
    assertThat(calls("new")).contains("-u app -");
    assertThat(calls("old")).contains("-u app -r");
  }

  @Test
  void retryOfAFinishedMoveWritesNothingAndReportsTheSameMove() throws Exception {
    // given a move that went through (then the worker crashed before Temporal heard of it)
    spool("old", "app", OLD_TAB);
    CronMoveResult first = activities.move(request(false), IGNORE);
    clearCalls();

    // when the activity runs again
    CronMoveResult again = activities.move(request(false), IGNORE);

    // then no crontab was written or removed, the saved original was not replaced by the moved
    // state, and the result is the first one (still "changed", so the workflow keeps the undo)
    assertThat(calls("old")).allMatch(c -> c.endsWith("-l"));
    assertThat(calls("new")).allMatch(c -> c.endsWith("-l"));
    assertThat(Files.readString(dir.resolve("old/home/.cutover/mig-1/move-cron/old.crontab")))
        .isEqualTo(OLD_TAB);
    assertThat(again).isEqualTo(first);
    assertThat(spool("new", "app")).isEqualTo(OLD_TAB);
    assertThat(spool("old", "app")).isNull();
  }

  @Test
  void retryAfterACrashBetweenInstallAndRemoveFinishesTheMove() throws Exception {
    // given an attempt that installed on the new host and died before removing on the old one
    spool("old", "app", OLD_TAB);
    activities.move(request(false), IGNORE);
    spool("old", "app", OLD_TAB);

    // when the activity runs again
    CronMoveResult result = activities.move(request(false), IGNORE);

    // then the old host's crontab is removed; the new host's was found in place (no conflict with
    // itself)
    assertThat(spool("old", "app")).isNull();
    assertThat(spool("new", "app")).isEqualTo(OLD_TAB);
    assertThat(result.newBefore().exists()).isFalse();
  }

  @Test
  void differentCrontabOnTheNewHostStopsTheMoveBeforeAnyChange() throws Exception {
    // given crontabs on both hosts that differ, and no replace
    spool("old", "app", OLD_TAB);
    spool("new", "app", NEW_TAB);

    // when it is moved
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.move(request(false), IGNORE));

    // then the step stops for a person, both crontabs as they were, and the message names user and
    // host and where the new host's copy is, without any of either crontab's content
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("step move-cron on host new")
        .contains("user app")
        .contains("replace: true")
        .contains("new.crontab")
        .doesNotContain("new-only")
        .doesNotContain(SECRET);
    assertThat(spool("old", "app")).isEqualTo(OLD_TAB);
    assertThat(spool("new", "app")).isEqualTo(NEW_TAB);
  }

  @Test
  void replaceOverwritesTheNewHostsCrontabAndTheUndoPutsItBack() throws Exception {
    // given crontabs on both hosts, and replace
    spool("old", "app", OLD_TAB);
    spool("new", "app", NEW_TAB);

    // when it is moved, then undone
    CronMoveResult moved = activities.move(request(true), IGNORE);
    assertThat(spool("new", "app")).isEqualTo(OLD_TAB);
    CronMoveResult restored =
        activities.restore(new CronRestoreRequest(request(true), moved), IGNORE);

    // then each host has its own crontab again
    assertThat(spool("old", "app")).isEqualTo(OLD_TAB);
    assertThat(spool("new", "app")).isEqualTo(NEW_TAB);
    assertThat(restored.changed()).isTrue();
    assertThat(restored.newAfter())
        .isEqualTo(new CronState(true, CronActivitiesImpl.countEntries(NEW_TAB), null));
  }

  @Test
  void restorePutsBothHostsBackAndIsIdempotent() throws Exception {
    // given a finished move
    spool("old", "app", OLD_TAB);
    CronMoveResult moved = activities.move(request(false), IGNORE);

    // when it is undone
    CronMoveResult restored =
        activities.restore(new CronRestoreRequest(request(false), moved), IGNORE);

    // then the old host has its crontab and the new host none, as before the move
    assertThat(spool("old", "app")).isEqualTo(OLD_TAB);
    assertThat(spool("new", "app")).isNull();
    assertThat(restored.changed()).isTrue();
    assertThat(restored.oldAfter()).isEqualTo(new CronState(true, 2, null));
    assertThat(restored.newAfter().exists()).isFalse();

    // and undoing again (a retry) changes nothing
    clearCalls();
    CronMoveResult again =
        activities.restore(new CronRestoreRequest(request(false), moved), IGNORE);
    assertThat(again.changed()).isFalse();
    assertThat(calls("old")).allMatch(c -> c.endsWith("-l"));
    assertThat(calls("new")).allMatch(c -> c.endsWith("-l"));
  }

  @Test
  void restoreRefusesToOverwriteACrontabEditedSinceTheMove() throws Exception {
    // given a move, after which someone added a job on the new host by hand
    spool("old", "app", OLD_TAB);
    CronMoveResult moved = activities.move(request(false), IGNORE);
    spool("new", "app", OLD_TAB + "30 4 * * * /srv/app/bin/added-by-hand\n");

    // when it is undone
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.restore(new CronRestoreRequest(request(false), moved), IGNORE));

    // then nothing is overwritten on either host and the message says why
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("crontab of app on new was edited since the move; not overwritten")
        .doesNotContain(SECRET);
    assertThat(spool("new", "app")).endsWith("added-by-hand\n");
    assertThat(spool("old", "app")).isNull();
  }

  @Test
  void moveOfAUserWithoutCrontabChangesNothing() throws Exception {
    // given no crontab on the old host
    // when it is moved
    CronMoveResult result = activities.move(request(false), IGNORE);

    // then nothing was installed or removed
    assertThat(result.changed()).isFalse();
    assertThat(result.oldBefore().exists()).isFalse();
    assertThat(calls("new")).allMatch(c -> c.endsWith("-l"));
    assertThat(dir.resolve("old/home/.cutover/mig-1/move-cron/old.absent")).exists();
  }

  @Test
  void theConnectingUsersOwnCrontabIsHandledWithoutU() throws Exception {
    // given the crontab of the user the commands run as
    String me = currentUser();
    spool("old", me, OLD_TAB);
    CronMoveRequest request =
        new CronMoveRequest("mig-1", "move-cron", "old", LOCAL, "new", LOCAL, me, false, null);

    // when it is moved
    activities.move(request, IGNORE);

    // then crontab was called without -u (which only root may use)
    assertThat(spool("new", me)).isEqualTo(OLD_TAB);
    assertThat(calls("old")).contains("-l", "-r").noneMatch(c -> c.contains("-u"));
    assertThat(calls("new")).contains("-").noneMatch(c -> c.contains("-u"));
  }

  @Test
  void unknownUserIsANonRetryableInvalidConfig() {
    // given a user the old host does not know
    CronMoveRequest request =
        new CronMoveRequest(
            "mig-1", "move-cron", "old", LOCAL, "new", LOCAL, "nobody-such", false, null);

    // when it is moved
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.move(request, IGNORE));

    // then the step stops at once naming the user and the host
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("step move-cron on host old")
        .contains("user nobody-such does not exist");
  }

  @RealTools
  @Test
  void unknownUserWithTheRealCrontab() {
    // given Debian's crontab, run as root (only root may read another user's crontab), and a user
    // that does not exist: nothing of a real user is read or written
    RequiredTool.require("crontab", "apt-get install cron", Path.of("/usr/bin/crontab"));
    org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(currentUser()), "runs as root");
    CronActivitiesImpl real =
        new CronActivitiesImpl(new HostShells(new NoSshTransport(), Set.of()));
    CronMoveRequest request =
        new CronMoveRequest(
            "mig-1",
            "move-cron",
            "old",
            LOCAL,
            "new",
            LOCAL,
            "cutover-no-such-user-4f1c",
            false,
            null);

    // when it is moved
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> real.move(request, IGNORE));

    // then the real message is recognized
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage())
        .contains("user cutover-no-such-user-4f1c does not exist")
        .contains("unknown");
  }

  @Test
  void missingCrontabProgramIsANonRetryableMissingTool() {
    // given a host without crontab
    CronActivitiesImpl without =
        new CronActivitiesImpl(
            new HostShells(new NoSshTransport(), Set.of()),
            dir.resolve("no-crontab-here").toString());

    // when it is moved
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> without.move(request(false), IGNORE));

    // then the step stops at once
    assertThat(failure.getType()).isEqualTo(CutoverErrors.MISSING_TOOL);
    assertThat(failure.getOriginalMessage()).contains("host old");
  }

  @Test
  void userNameIsQuotedInEveryCommand() throws Exception {
    // given a user name a shell would run as a command
    String evil = "app;touch " + dir.resolve("pwned");
    CronMoveRequest request =
        new CronMoveRequest("mig-1", "move-cron", "old", LOCAL, "new", LOCAL, evil, false, null);

    // when it is moved
    catchThrowableOfType(ApplicationFailure.class, () -> activities.move(request, IGNORE));

    // then crontab got it as one word, and nothing ran
    assertThat(calls("old")).contains("-u " + evil + " -l");
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void entriesAreJobLinesOnly() {
    assertThat(CronActivitiesImpl.countEntries(OLD_TAB)).isEqualTo(2);
    assertThat(
            CronActivitiesImpl.countEntries(
                "SHELL=/bin/bash\nPATH = /usr/bin\n@reboot /srv/start\n  # x\n"))
        .isEqualTo(1);
  }

  @Test
  void namesFromThePlanBecomeSafePathParts() {
    assertThat(CronActivitiesImpl.pathPart("shop-2024.move")).isEqualTo("shop-2024.move");
    assertThat(CronActivitiesImpl.pathPart("../etc")).isEqualTo("_.._etc");
    assertThat(CronActivitiesImpl.pathPart("a b/c")).isEqualTo("a_b_c");
  }

  // --- helpers --------------------------------------------------------------------------------

  private static CronMoveRequest request(boolean replace) {
    return new CronMoveRequest(
        "mig-1", "move-cron", "old", LOCAL, "new", LOCAL, "app", replace, null);
  }

  private void spool(String host, String user, String content) throws IOException {
    Path f = dir.resolve(host).resolve("spool").resolve(user);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content, StandardCharsets.UTF_8);
  }

  private String spool(String host, String user) throws IOException {
    Path f = dir.resolve(host).resolve("spool").resolve(user);
    return Files.exists(f) ? Files.readString(f) : null;
  }

  private List<String> calls(String host) throws IOException {
    Path log = dir.resolve(host).resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private void clearCalls() throws IOException {
    Files.deleteIfExists(dir.resolve("old/calls.log"));
    Files.deleteIfExists(dir.resolve("new/calls.log"));
  }

  private static String currentUser() {
    try {
      Process p = new ProcessBuilder("id", "-un").start();
      String name = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor();
      return name;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String sha256Hex(String content) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
