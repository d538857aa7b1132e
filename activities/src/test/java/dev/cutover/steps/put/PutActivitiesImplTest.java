package dev.cutover.steps.put;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunProgress;
import dev.cutover.steps.run.RunResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code put} step with real files on this machine. */
class PutActivitiesImplTest {
  static final Host LOCAL = Host.local(null);
  static final Heartbeat<RunProgress> IGNORE = progress -> {};
  static final String SECRET = "DATABASE_URL=postgres://app:Sup3r-s3cret-pw@db/app";

  @TempDir Path dir;

  private final PutActivitiesImpl activities =
      new PutActivitiesImpl(
          new HostShells(new NoSshTransport(), Set.of()),
          new SecretResolver(Map.of("APP_ENV", SECRET)));

  @Test
  void newFileIsWrittenWithItsModeAndTheUndoRemovesIt() throws Exception {
    // given no file yet, in a directory whose name has a space and a quote
    Path file = Files.createDirectories(dir.resolve("it's conf")).resolve("app.conf");

    // when it is put with mode 0640
    PutResult result = activities.put(literal(file, "listen 8080;\n", "0640", null), IGNORE);

    // then it has the content and mode, the result says there was nothing before, and no temporary
    // file is left
    assertThat(Files.readString(file)).isEqualTo("listen 8080;\n");
    assertThat(mode(file)).isEqualTo("rw-r-----");
    assertThat(result)
        .isEqualTo(
            new PutResult(
                file.toString(), false, null, null, null, null, sealed("listen 8080;\n"), true));
    assertThat(names(file.getParent()))
        .containsExactlyInAnyOrder("app.conf", "app.conf.cutover-mig-1-put-conf.absent");

    // and a retry finds it written by this step: nothing is rewritten, the undo is kept
    long modified = Files.getLastModifiedTime(file).toMillis();
    PutResult again = activities.put(literal(file, "listen 8080;\n", "0640", null), IGNORE);
    assertThat(again).isEqualTo(result);
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);

    // and the undo removes the file and its marker; a second undo finds it done
    PutRestoreResult restored = activities.restore(restore(file, result), IGNORE);
    assertThat(file).doesNotExist();
    assertThat(names(file.getParent())).isEmpty();
    assertThat(restored).isEqualTo(new PutRestoreResult(file.toString(), false, null, true));
    assertThat(activities.restore(restore(file, result), IGNORE).changed()).isFalse();
  }

  @Test
  void existingFileIsBackedUpOnceAndTheUndoPutsItBack() throws Exception {
    // given a file with its own content and mode 0600
    Path file = Files.writeString(dir.resolve("app.conf"), "listen 80;\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    // when a new content is put with mode 0644
    PutResult result = activities.put(literal(file, "listen 8080;\n", "0644", null), IGNORE);

    // then the file is new, and the previous one is kept next to it with its mode
    Path backup = dir.resolve("app.conf.cutover-mig-1-put-conf.bak");
    assertThat(Files.readString(file)).isEqualTo("listen 8080;\n");
    assertThat(mode(file)).isEqualTo("rw-r--r--");
    assertThat(Files.readString(backup)).isEqualTo("listen 80;\n");
    assertThat(mode(backup)).isEqualTo("rw-------");
    assertThat(result.previousExisted()).isTrue();
    assertThat(result.previousSha256()).isEqualTo(sealed("listen 80;\n"));
    assertThat(result.previousMode()).isEqualTo("0600");
    assertThat(result.previousOwner()).isEqualTo(owner(file));
    assertThat(result.backupPath()).isEqualTo(backup.toString());
    assertThat(result.changed()).isTrue();

    // and a retry does not save the written file over the backup, and reports the same put
    PutResult again = activities.put(literal(file, "listen 8080;\n", "0644", null), IGNORE);
    assertThat(Files.readString(backup)).isEqualTo("listen 80;\n");
    assertThat(again).isEqualTo(result);

    // and the undo puts the previous file back, mode included; a second undo finds it done
    PutRestoreResult restored = activities.restore(restore(file, result), IGNORE);
    assertThat(Files.readString(file)).isEqualTo("listen 80;\n");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(backup).doesNotExist();
    assertThat(restored)
        .isEqualTo(new PutRestoreResult(file.toString(), true, sealed("listen 80;\n"), true));
    assertThat(activities.restore(restore(file, result), IGNORE))
        .isEqualTo(new PutRestoreResult(file.toString(), true, sealed("listen 80;\n"), false));
  }

  @Test
  void theCleanupRemovesBackupsAndMarkersOfThisRunOnly() throws Exception {
    // given a conf.d-style directory where one put replaced a file and another created one
    Path confD = Files.createDirectories(dir.resolve("conf.d"));
    Path replaced = Files.writeString(confD.resolve("app.conf"), "listen 80;\n");
    Path created = confD.resolve("new.conf");
    activities.put(literal(replaced, "listen 8080;\n", null, null), IGNORE);
    activities.put(
        new PutRequest(
            "mig-1", "put-new", "new", LOCAL, created.toString(), "x\n", null, null, null, null),
        IGNORE);
    // and a backup another run of the migration left
    Files.writeString(confD.resolve("app.conf.cutover-mig-0-put-conf.bak"), "older\n");
    assertThat(names(confD)).hasSize(5);

    // when the migration has completed and the cleanup runs, twice
    PutCleanupRequest request =
        new PutCleanupRequest(
            "mig-1",
            java.util.List.of(
                new PutCleanupFile("put-conf", "new", LOCAL, replaced.toString(), null),
                new PutCleanupFile("put-new", "new", LOCAL, created.toString(), null)));
    PutCleanupResult result = activities.cleanup(request, IGNORE);
    PutCleanupResult again = activities.cleanup(request, IGNORE);

    // then this run's backup and marker are gone, the files stay, and the other run's backup is not
    // touched
    assertThat(names(confD))
        .containsExactlyInAnyOrder("app.conf", "new.conf", "app.conf.cutover-mig-0-put-conf.bak");
    assertThat(Files.readString(replaced)).isEqualTo("listen 8080;\n");
    assertThat(result.removed())
        .containsExactlyInAnyOrder(
            "new:" + confD.resolve("app.conf.cutover-mig-1-put-conf.bak"),
            "new:" + confD.resolve("new.conf.cutover-mig-1-put-new.absent"));
    assertThat(again.removed()).isEmpty();
  }

  @Test
  void aCleanupThatCannotReachAHostTriesTheRestAndSaysWhatIsLeft() throws Exception {
    // given two puts' backups, one on a host this worker cannot reach
    Host far =
        new Host(
            dev.cutover.plan.Transport.SSH,
            "10.231.0.99",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    Files.writeString(dir.resolve("b.conf.cutover-mig-1-b.bak"), "b\n");
    PutCleanupRequest request =
        new PutCleanupRequest(
            "mig-1",
            java.util.List.of(
                new PutCleanupFile("a", "far", far, "/etc/app/a.conf", null),
                new PutCleanupFile("b", "new", LOCAL, dir.resolve("b.conf").toString(), null)));

    // when the cleanup runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.cleanup(request, IGNORE));

    // then the reachable host's backup is gone, and the failure names the host left and why, with
    // its type
    assertThat(names(dir)).isEmpty();
    assertThat(failure.getOriginalMessage())
        .contains("1 put file(s)")
        .contains("host far")
        .contains("[TransportUnavailable]");
    assertThat(failure.getType()).isEqualTo(CutoverErrors.TRANSPORT_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void fileThatIsAlreadyAsPlannedIsLeftAloneWithoutBackup() throws Exception {
    // given a file that already has the content and mode
    Path file = Files.writeString(dir.resolve("app.conf"), "same\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    // when it is put
    PutResult result = activities.put(literal(file, "same\n", "644", owner(file)), IGNORE);

    // then nothing was written or backed up, and the result says so
    assertThat(result.changed()).isFalse();
    assertThat(result.backupPath()).isNull();
    assertThat(names(dir)).containsExactly("app.conf");

    // and its undo changes nothing
    assertThat(activities.restore(restore(file, result), IGNORE).changed()).isFalse();
    assertThat(Files.readString(file)).isEqualTo("same\n");
  }

  @Test
  void modeAloneIsAChangeAndTheUndoRestoresIt() throws Exception {
    // given the right content with the wrong mode
    Path file = Files.writeString(dir.resolve("key.pem"), "key\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    // when it is put with 0600, then undone
    PutResult result = activities.put(literal(file, "key\n", "0600", null), IGNORE);
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(result.changed()).isTrue();
    activities.restore(restore(file, result), IGNORE);

    // then the mode is the previous one again
    assertThat(mode(file)).isEqualTo("rw-r--r--");
  }

  @Test
  void withoutModeTheExistingModeIsKeptAndANewFileGetsTheUmasks() throws Exception {
    // given an existing 0600 file
    Path existing = Files.writeString(dir.resolve("a.conf"), "a\n");
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-------"));
    Path fresh = dir.resolve("b.conf");
    Path reference = dir.resolve("made-by-sh");
    new ProcessBuilder("/bin/sh", "-c", ": > '" + reference + "'").start().waitFor();

    // when both are put without a mode
    activities.put(literal(existing, "a2\n", null, null), IGNORE);
    activities.put(literal(fresh, "b\n", null, null), IGNORE);

    // then the existing file kept 0600 and the new one has what a shell makes with its umask (not
    // mktemp's 0600)
    assertThat(mode(existing)).isEqualTo("rw-------");
    assertThat(mode(fresh)).isEqualTo(mode(reference));
  }

  @Test
  void secretContentReachesTheFileButNeitherTheResultNorAFailure() throws Exception {
    // given a file whose content is a secret, by reference
    Path file = dir.resolve("app.env");
    PutRequest request =
        new PutRequest(
            "mig-1",
            "put-env",
            "new",
            LOCAL,
            file.toString(),
            null,
            "env:APP_ENV",
            "0600",
            null,
            null);

    // when it is put
    PutResult result = activities.put(request, IGNORE);

    // then the file has the value, and the result only its hash sealed with the host's key: the
    // plain SHA-256, which a guess could be checked against, is nowhere
    assertThat(Files.readString(file)).isEqualTo(SECRET);
    assertThat(result.toString())
        .doesNotContain(SECRET)
        .doesNotContain("Sup3r-s3cret-pw")
        .doesNotContain(PutActivitiesImpl.sha256(SECRET.getBytes(StandardCharsets.UTF_8)));
    assertThat(result.sha256()).startsWith("hmac-sha256:").isEqualTo(sealed(SECRET));

    // and when a write of it fails (its directory is missing), neither message nor details hold it
    PutRequest failing =
        new PutRequest(
            "mig-1",
            "put-env",
            "new",
            LOCAL,
            dir.resolve("missing/app.env").toString(),
            null,
            "env:APP_ENV",
            "0600",
            null,
            null);
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.put(failing, IGNORE));
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage())
        .contains("step put-env on host new")
        .doesNotContain("Sup3r-s3cret-pw");
    if (failure.getDetails() != null && failure.getDetails().getSize() > 0) {
      assertThat(failure.getDetails().get(RunResult.class).outputTail())
          .doesNotContain("Sup3r-s3cret-pw");
    }
  }

  @Test
  void unresolvableSecretIsNonRetryableAndNamesTheReference() {
    PutRequest request =
        new PutRequest(
            "mig-1",
            "put-env",
            "new",
            LOCAL,
            dir.resolve("app.env").toString(),
            null,
            "env:NO_SUCH_VAR",
            null,
            null,
            null);

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.put(request, IGNORE));

    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step put-env on host new")
        .contains("env:NO_SUCH_VAR");
    assertThat(dir.resolve("app.env")).doesNotExist();
  }

  @Test
  void undoRefusesAFileEditedSinceThePut() throws Exception {
    // given a put over an existing file, after which someone edited the file
    Path file = Files.writeString(dir.resolve("app.conf"), "v1\n");
    PutResult result = activities.put(literal(file, "v2\n", null, null), IGNORE);
    Files.writeString(file, "v3 by hand\n");

    // when it is undone
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.restore(restore(file, result), IGNORE));

    // then the edit stays and the message points at the backup
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("was changed since the put").contains(".bak");
    assertThat(Files.readString(file)).isEqualTo("v3 by hand\n");
  }

  @Test
  void undoOfANewFileEditedSinceIsRefusedToo() throws Exception {
    // given a new file put, then edited by hand
    Path file = dir.resolve("new.conf");
    PutResult result = activities.put(literal(file, "mine\n", null, null), IGNORE);
    Files.writeString(file, "edited\n");

    // when it is undone
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.restore(restore(file, result), IGNORE));

    // then it is not removed
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(file).exists();
  }

  @Test
  void unknownOwnerIsANonRetryableInvalidConfig() throws Exception {
    // given an owner that does not exist on the host
    Path file = dir.resolve("app.conf");

    // when the file is put
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.put(
                    literal(file, "x\n", "0644", "cutover-no-such-user-4f1c:nogroup"), IGNORE));

    // then the step stops at once and nothing is left in place of the file
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage()).contains("unknown owner");
    assertThat(file).doesNotExist();
    assertThat(names(dir)).allMatch(n -> n.endsWith(".absent"));
  }

  @Test
  void symbolicLinkIsRefused() throws Exception {
    // given a path that is a link to the real file
    Path target = Files.writeString(dir.resolve("real.conf"), "real\n");
    Path link = Files.createSymbolicLink(dir.resolve("link.conf"), target);

    // when the link's path is put
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.put(literal(link, "x\n", null, null), IGNORE));

    // then nothing changes: replacing the link by a file would cut it from what it points to
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage()).contains("symbolic link");
    assertThat(Files.readString(target)).isEqualTo("real\n");
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void invalidRequestsAreRefusedBeforeTouchingTheHost() {
    assertThat(
            invalid(
                new PutRequest(
                    "m", "s", "new", LOCAL, "relative/path", "x", null, null, null, null)))
        .contains("absolute path");
    assertThat(
            invalid(
                new PutRequest(
                    "m", "s", "new", LOCAL, "/tmp/x", "x", "env:APP_ENV", null, null, null)))
        .contains("exactly one");
    assertThat(
            invalid(
                new PutRequest(
                    "m", "s", "new", LOCAL, "/tmp/x", "x", null, "rw-r--r--", null, null)))
        .contains("octal");
    assertThat(
            invalid(new PutRequest("m", "s", "new", LOCAL, "/tmp/x", "x", null, null, "a b", null)))
        .contains("owner");
  }

  // --- helpers --------------------------------------------------------------------------------

  private String invalid(PutRequest request) {
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.put(request, IGNORE));
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    return failure.getOriginalMessage();
  }

  private static PutRequest literal(Path file, String content, String mode, String owner) {
    return new PutRequest(
        "mig-1", "put-conf", "new", LOCAL, file.toString(), content, null, mode, owner, null);
  }

  /** The restore as the workflow asks for it: the undo of step put-conf runs as put-conf.undo. */
  private static PutRestoreRequest restore(Path file, PutResult written) {
    return new PutRestoreRequest("put-conf.undo", "new", LOCAL, written, null);
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static String owner(Path file) throws IOException {
    java.nio.file.attribute.PosixFileAttributes a =
        Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class);
    return a.owner().getName() + ":" + a.group().getName();
  }

  private static java.util.List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  /**
   * The hash a result records for this content: HMAC-SHA256, keyed with the host's key (the
   * worker's own home here, as the hosts are local), of the content's SHA-256.
   */
  static String sealed(String content) throws Exception {
    byte[] key =
        java.util.HexFormat.of()
            .parseHex(
                Files.readString(Path.of(System.getenv("HOME"), ".cutover", "hash.key")).strip());
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    String raw = PutActivitiesImpl.sha256(content.getBytes(StandardCharsets.UTF_8));
    return "hmac-sha256:"
        + java.util.HexFormat.of().formatHex(mac.doFinal(raw.getBytes(StandardCharsets.US_ASCII)));
  }
}
