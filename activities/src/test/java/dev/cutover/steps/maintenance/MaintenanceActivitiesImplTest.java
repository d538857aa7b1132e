package dev.cutover.steps.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Host;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunProgress;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code maintenance} step with real files and real commands on this machine. */
class MaintenanceActivitiesImplTest {
  static final Host LOCAL = Host.local(null);
  static final Heartbeat<RunProgress> IGNORE = progress -> {};
  static final String PAGE = "<h1>Back soon</h1>\n<p>We are moving to a new server.</p>\n";

  @TempDir Path dir;

  private final MaintenanceActivitiesImpl activities =
      new MaintenanceActivitiesImpl(
          new HostShells(new NoSshTransport(), Set.of()), Duration.ofSeconds(2));

  // --- file mode ----------------------------------------------------------------------------

  @Test
  void fileOnWritesThePageAndASecondOnChangesNothing() throws Exception {
    // given no flag file, in a directory whose name has a space and a quote
    Path www = Files.createDirectories(dir.resolve("it's www"));
    Path flag = www.resolve("maintenance.html");

    // when the page is turned on
    MaintenanceResult result = activities.on(file(flag, PAGE), IGNORE);

    // then the file holds the page, readable by the web server, and no temporary file is left
    assertThat(Files.readString(flag)).isEqualTo(PAGE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(flag)))
        .isEqualTo("rw-r--r--");
    assertThat(result).isEqualTo(new MaintenanceResult(false, true, true));
    try (Stream<Path> files = Files.list(www)) {
      assertThat(files).containsExactly(flag);
    }

    // and when it is turned on again (a retry), the file is left as it is
    long modified = Files.getLastModifiedTime(flag).toMillis();
    Thread.sleep(20);
    MaintenanceResult again = activities.on(file(flag, PAGE), IGNORE);
    assertThat(again).isEqualTo(new MaintenanceResult(true, true, false));
    assertThat(Files.getLastModifiedTime(flag).toMillis()).isEqualTo(modified);
  }

  @Test
  void fileOnWithOtherContentReplacesIt() throws Exception {
    // given a flag file with an older page
    Path flag = Files.writeString(dir.resolve("maintenance.html"), "old page\n");

    // when the page is turned on
    MaintenanceResult result = activities.on(file(flag, PAGE), IGNORE);

    // then the page is the plan's, and the result says it was on already
    assertThat(Files.readString(flag)).isEqualTo(PAGE);
    assertThat(result).isEqualTo(new MaintenanceResult(true, true, true));
  }

  @Test
  void emptyContentMakesAnEmptyFlagFile() throws Exception {
    // given a step without content: the file's presence is the flag
    Path flag = dir.resolve("maintenance.flag");

    // when the page is turned on
    activities.on(file(flag, null), IGNORE);

    // then an empty file exists
    assertThat(flag).exists();
    assertThat(Files.size(flag)).isZero();
  }

  @Test
  void fileOffRemovesTheFileAndASecondOffChangesNothing() throws Exception {
    // given the page on
    Path flag = Files.writeString(dir.resolve("maintenance.html"), PAGE);

    // when it is turned off, twice
    MaintenanceResult first = activities.off(file(flag, PAGE), IGNORE);
    MaintenanceResult second = activities.off(file(flag, PAGE), IGNORE);

    // then the file is gone; the second found it so
    assertThat(flag).doesNotExist();
    assertThat(first).isEqualTo(new MaintenanceResult(true, false, true));
    assertThat(second).isEqualTo(new MaintenanceResult(false, false, false));
  }

  @Test
  void missingDirectoryIsANonRetryableInvalidConfig() {
    // given a path in a directory that does not exist
    Path flag = dir.resolve("no-such-dir/maintenance.html");

    // when the page is turned on
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.on(file(flag, PAGE), IGNORE));

    // then the step stops, naming the path, the step and the host
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("step page-on on host old")
        .contains(flag.toString());
  }

  @Test
  void pathThatIsADirectoryIsLeftAlone() throws Exception {
    // given a directory where the flag file should be
    Path flag = Files.createDirectories(dir.resolve("maintenance.html"));
    Files.writeString(flag.resolve("keep"), "x");

    // when the page is turned off
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.off(file(flag, PAGE), IGNORE));

    // then nothing is removed
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(flag.resolve("keep")).exists();
  }

  @Test
  void relativePathIsInvalid() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.on(file(Path.of("maintenance.html"), PAGE), IGNORE));

    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage()).contains("absolute path");
  }

  // --- command mode -------------------------------------------------------------------------

  @Test
  void commandsRunOnlyWhenTheCheckSaysTheyAreNeeded() throws Exception {
    // given on/off commands that switch a symlink, as an nginx site switch would, and a check for
    // it
    Path enabled = dir.resolve("enabled");
    Path log = dir.resolve("commands.log");
    MaintenanceRequest request =
        command(
            "ln -sf maintenance.conf '" + enabled + "' && echo on >> '" + log + "'",
            "rm -f '" + enabled + "' && echo off >> '" + log + "'",
            "test -L '" + enabled + "'");

    // when the page is turned on twice, then off
    MaintenanceResult on = activities.on(request, IGNORE);
    MaintenanceResult onAgain = activities.on(request, IGNORE);
    MaintenanceResult off = activities.off(request, IGNORE);

    // then each command ran once, and the results say what the check saw before
    assertThat(Files.readAllLines(log)).containsExactly("on", "off");
    assertThat(on).isEqualTo(new MaintenanceResult(false, true, true));
    assertThat(onAgain).isEqualTo(new MaintenanceResult(true, true, false));
    assertThat(off).isEqualTo(new MaintenanceResult(true, false, true));
  }

  @Test
  void withoutACheckTheCommandRunsEveryTimeAndThePreviousStateIsUnknown() throws Exception {
    // given commands and no check
    Path log = dir.resolve("commands.log");
    MaintenanceRequest request =
        command("echo on >> '" + log + "'", "echo off >> '" + log + "'", null);

    // when the page is turned on twice
    MaintenanceResult first = activities.on(request, IGNORE);
    activities.on(request, IGNORE);

    // then the command ran both times
    assertThat(Files.readAllLines(log)).containsExactly("on", "on");
    assertThat(first).isEqualTo(new MaintenanceResult(null, true, true));
  }

  @Test
  void commandThatDoesNotTurnThePageOnIsARetryableFailure() {
    // given an on command that does nothing, and a check that stays off
    MaintenanceRequest request = command("true", "true", "false");

    // when the page is turned on
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.on(request, IGNORE));

    // then the step fails retryably once the settle time is over
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("step page-on on host old")
        .contains("still off");
  }

  @Test
  void failingCommandIsReportedWithItsOutput() {
    // given an on command that fails
    MaintenanceRequest request =
        command("echo 'nginx: configuration test failed' >&2; exit 1", "true", null);

    // when the page is turned on
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.on(request, IGNORE));

    // then the failure names step and host and carries the command's last line
    assertThat(failure.getType()).isEqualTo(CutoverErrors.COMMAND_FAILED);
    assertThat(failure.getOriginalMessage())
        .contains("step page-on on host old")
        .contains("configuration test failed");
  }

  @Test
  void missingOffCommandIsInvalid() {
    MaintenanceRequest request = command("true", null, null);

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.off(request, IGNORE));

    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage()).contains("offCommand");
  }

  // --- helpers --------------------------------------------------------------------------------

  private static MaintenanceRequest file(Path path, String content) {
    return new MaintenanceRequest(
        "page-on",
        "old",
        LOCAL,
        MaintenanceMode.FILE,
        path.toString(),
        content,
        null,
        null,
        null,
        null);
  }

  private static MaintenanceRequest command(String on, String off, String check) {
    return new MaintenanceRequest(
        "page-on", "old", LOCAL, MaintenanceMode.COMMAND, null, null, on, off, check, null);
  }
}
