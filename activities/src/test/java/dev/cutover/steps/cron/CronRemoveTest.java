package dev.cutover.steps.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.ssh.SshConnections;
import dev.cutover.hosts.ssh.SshSettings;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunProgress;
import dev.cutover.testing.SshTestServer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cron} with {@code action: remove} on a host reached over SSH (the in-process server
 * running real processes), with the stand-in {@code crontab} of {@link CronActivitiesImplTest} so
 * no real user's crontab is touched. The saved copy lives in the SSH user's home, as on a real
 * host.
 */
class CronRemoveTest {
  static final Heartbeat<RunProgress> IGNORE = progress -> {};

  @TempDir Path dir;
  SshTestServer server;
  SshConnections ssh;
  Host host;
  Path tools;
  CronActivitiesImpl activities;

  @BeforeEach
  void start() throws IOException {
    server = SshTestServer.start();
    ssh = new SshConnections(SshSettings.defaults(), new SecretResolver(Map.of()));
    host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));
    tools = Files.createDirectories(dir.resolve("old"));
    Files.writeString(tools.resolve("users"), "www-data\nwhimsysvn\n");
    Path stub = tools.resolve("crontab");
    Files.writeString(stub, CronActivitiesImplTest.STAND_IN);
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwx------"));
    // The home is the server's own ($HOME of its commands): the saved copy is where a real host
    // keeps it.
    activities =
        new CronActivitiesImpl(
            new HostShells(ssh, Set.of()), name -> stub.toString(), name -> null);
  }

  @AfterEach
  void stop() throws IOException {
    ssh.close();
    server.close();
  }

  @Test
  void removeSavesTheCrontabInTheUsersHomeThenRemovesIt() throws Exception {
    // given www-data's crontab on the old host, with a credential inline
    spool("www-data", CronActivitiesImplTest.OLD_TAB);

    // when the step removes it
    CronRemoveResult result = activities.remove(request("www-data"), IGNORE);

    // then the host has none, its original is saved privately in the connecting user's home
    assertThat(spool("www-data")).isNull();
    Path saved = server.home().resolve(".cutover/mig-1/tidy-cron/removed.crontab");
    assertThat(Files.readString(saved)).isEqualTo(CronActivitiesImplTest.OLD_TAB);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
        .isEqualTo("rw-------");
    // and the result says so with counts only
    assertThat(result.before()).isEqualTo(new CronState(true, 2, saved.toString()));
    assertThat(result.after()).isEqualTo(new CronState(false, 0, null));
    assertThat(result.changed()).isTrue();
    assertThat(result.toString()).doesNotContain(CronActivitiesImplTest.SECRET);
    assertThat(calls()).contains("-u www-data -r");
  }

  @Test
  void aRetryKeepsTheFirstCopyAndReportsTheSameRemove() throws Exception {
    // given a remove that went through (then the worker died before Temporal heard of it)
    spool("www-data", CronActivitiesImplTest.OLD_TAB);
    CronRemoveResult first = activities.remove(request("www-data"), IGNORE);
    Files.delete(tools.resolve("calls.log"));

    // when the activity runs again
    CronRemoveResult again = activities.remove(request("www-data"), IGNORE);

    // then nothing was removed or written (the saved original was not replaced by "no crontab"),
    // and it reports the same change, so the workflow keeps the undo
    assertThat(calls()).allMatch(c -> c.endsWith("-l"));
    assertThat(again).isEqualTo(first);
    assertThat(Files.readString(server.home().resolve(".cutover/mig-1/tidy-cron/removed.crontab")))
        .isEqualTo(CronActivitiesImplTest.OLD_TAB);
  }

  @Test
  void theUndoInstallsTheSavedCrontabAgainAndIsIdempotent() throws Exception {
    // given a removed crontab
    spool("www-data", CronActivitiesImplTest.OLD_TAB);
    activities.remove(request("www-data"), IGNORE);

    // when the migration is aborted and the undo runs, twice
    CronRemoveResult restored = activities.restoreRemoved(request("www-data"), IGNORE);
    CronRemoveResult again = activities.restoreRemoved(request("www-data"), IGNORE);

    // then the crontab is back as it was, and the second run changed nothing
    assertThat(spool("www-data")).isEqualTo(CronActivitiesImplTest.OLD_TAB);
    assertThat(restored.changed()).isTrue();
    assertThat(restored.after()).isEqualTo(new CronState(true, 2, null));
    assertThat(again.changed()).isFalse();
  }

  @Test
  void theUndoDoesNotOverwriteACrontabInstalledSince() throws Exception {
    // given a removed crontab, and a new one someone installed by hand afterwards
    spool("www-data", CronActivitiesImplTest.OLD_TAB);
    activities.remove(request("www-data"), IGNORE);
    spool("www-data", CronActivitiesImplTest.NEW_TAB);

    // when the undo runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.restoreRemoved(request("www-data"), IGNORE));

    // then it stops for a person, naming step, host and where the original is, and the new one
    // stays
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step tidy-cron on host old")
        .contains("removed.crontab")
        .doesNotContain(CronActivitiesImplTest.SECRET);
    assertThat(spool("www-data")).isEqualTo(CronActivitiesImplTest.NEW_TAB);
  }

  @Test
  void aUserWithoutACrontabIsNotAnErrorAndTheUndoLeavesItSo() throws Exception {
    // given whimsysvn has no crontab
    // when it is removed, then undone
    CronRemoveResult removed = activities.remove(request("whimsysvn"), IGNORE);
    CronRemoveResult undone = activities.restoreRemoved(request("whimsysvn"), IGNORE);

    // then nothing changed either time, and no crontab appeared
    assertThat(removed.changed()).isFalse();
    assertThat(removed.before().exists()).isFalse();
    assertThat(undone.changed()).isFalse();
    assertThat(spool("whimsysvn")).isNull();
    assertThat(calls()).noneMatch(c -> c.endsWith("-r") || c.endsWith("-"));
  }

  @Test
  void anUnknownUserIsANonRetryableInvalidConfigNamingStepAndHost() {
    // given a user the host does not know
    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.remove(request("nobody-here"), IGNORE));

    // then it stops at once with what is wrong
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step tidy-cron on host old")
        .contains("nobody-here");
  }

  private CronRemoveRequest request(String user) {
    return new CronRemoveRequest("mig-1", "tidy-cron", "old", host, user, null);
  }

  private void spool(String user, String content) throws IOException {
    Path f = tools.resolve("spool").resolve(user);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private String spool(String user) throws IOException {
    Path f = tools.resolve("spool").resolve(user);
    return Files.exists(f) ? Files.readString(f) : null;
  }

  private List<String> calls() throws IOException {
    Path log = tools.resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }
}
