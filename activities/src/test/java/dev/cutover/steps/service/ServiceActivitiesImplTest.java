package dev.cutover.steps.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Host;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.ProcessCheck;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code service} step. systemd does not run in this sandbox (PID 1 is not systemd, so the real
 * systemctl can only say so): the systemd path is driven against a stand-in {@code systemctl}
 * script that answers is-active, is-enabled, start, stop, restart, enable and disable as systemctl
 * does, keeping each unit's state in files. Custom services are real: a script that starts and
 * stops a background {@code sleep} with a pid file.
 */
class ServiceActivitiesImplTest {
  static final Host LOCAL = Host.local(null);
  static final Heartbeat<ServiceProgress> IGNORE = progress -> {};

  @TempDir Path dir;

  private Path systemctl;
  private ServiceActivitiesImpl activities;

  @AfterEach
  void stopTheCustomService() throws Exception {
    Path pid = dir.resolve("app.pid");
    if (Files.exists(pid)) {
      ProcessHandle.of(ProcessCheck.readPid(pid)).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  // --- systemd, through the stand-in ----------------------------------------------------------

  @Test
  void stopOfARunningUnitStopsItAndKeepsThePreviousState() throws Exception {
    // given an active, enabled unit
    stubSystemctl();
    unit("app.service", "active", "enabled");

    // when the step stops it
    ServiceResult result = activities.control(request("app.service", ServiceAction.STOP), IGNORE);

    // then it is inactive, systemctl was asked with the unit after "--", and the result keeps what
    // it was for the undo
    assertThat(state("app.service")).isEqualTo("inactive");
    assertThat(calls()).contains("stop -- app.service");
    assertThat(result)
        .usingRecursiveComparison()
        .ignoringFields("durationMillis")
        .isEqualTo(
            new ServiceResult(
                "app.service",
                ServiceAction.STOP,
                "active",
                "enabled",
                "inactive",
                "enabled",
                true,
                0));
  }

  @Test
  void stopOfAStoppedUnitChangesNothing() throws Exception {
    // given a unit that is already inactive (a retry after the stop went through)
    stubSystemctl();
    unit("app.service", "inactive", "enabled");

    // when the step stops it
    ServiceResult result = activities.control(request("app.service", ServiceAction.STOP), IGNORE);

    // then systemctl stop was not run and the result says nothing changed
    assertThat(result.changed()).isFalse();
    assertThat(result.previousActiveState()).isEqualTo("inactive");
    assertThat(calls()).noneMatch(c -> c.startsWith("stop"));
  }

  @Test
  void failedUnitCountsAsStopped() throws Exception {
    // given a unit that crashed: not running, systemd says failed
    stubSystemctl();
    unit("app.service", "failed", "enabled");

    // when the step stops it
    ServiceResult result = activities.control(request("app.service", ServiceAction.STOP), IGNORE);

    // then there is nothing to stop
    assertThat(result.changed()).isFalse();
    assertThat(result.activeState()).isEqualTo("failed");
  }

  @Test
  void startWaitsUntilASlowUnitIsActive() throws Exception {
    // given a unit that is "activating" for a second after systemctl start returns
    stubSystemctl();
    unit("app.service", "inactive", "enabled");
    Files.createFile(dir.resolve("units/app.service/slow"));
    List<ServiceProgress> beats = new CopyOnWriteArrayList<>();

    // when the step starts it
    ServiceResult result =
        activities.control(request("app.service", ServiceAction.START), beats::add);

    // then it returned only once the unit was active, and it heartbeat while it waited
    assertThat(result.activeState()).isEqualTo("active");
    assertThat(result.changed()).isTrue();
    assertThat(result.durationMillis()).isGreaterThanOrEqualTo(900);
    assertThat(beats).anySatisfy(b -> assertThat(b.lastLine()).contains("activating"));
  }

  @Test
  void unitThatNeverGetsThereIsARetryableFailureNamingUnitAndState() throws Exception {
    // given a unit that stays "activating" (its start hangs), and a settle time of 2s
    stubSystemctl();
    unit("app.service", "inactive", "enabled");
    Files.createFile(dir.resolve("units/app.service/hangs"));
    ServiceRequest request =
        new ServiceRequest(
            "start-app",
            "new",
            LOCAL,
            "app.service",
            ServiceAction.START,
            null,
            null,
            Duration.ofSeconds(2),
            null);

    // when the step starts it
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.control(request, IGNORE));

    // then it fails after the settle time, retryably, saying which unit is in which state
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.COMMAND_TIMED_OUT);
    assertThat(failure.getOriginalMessage())
        .contains("step start-app on host new")
        .contains("app.service")
        .contains("did not become active within 2s")
        .contains("activating");
  }

  @Test
  void restartAlwaysRestarts() throws Exception {
    // given an active unit
    stubSystemctl();
    unit("app.service", "active", "enabled");

    // when the step restarts it
    ServiceResult result =
        activities.control(request("app.service", ServiceAction.RESTART), IGNORE);

    // then systemctl restart ran although it was active
    assertThat(result.changed()).isTrue();
    assertThat(calls()).contains("restart -- app.service");
  }

  @Test
  void enableAndDisableAreIdempotent() throws Exception {
    // given a disabled unit
    stubSystemctl();
    unit("app.service", "active", "disabled");

    // when it is enabled twice
    ServiceResult first = activities.control(request("app.service", ServiceAction.ENABLE), IGNORE);
    ServiceResult second = activities.control(request("app.service", ServiceAction.ENABLE), IGNORE);

    // then the first enabled it and the second found it so
    assertThat(first.changed()).isTrue();
    assertThat(first.previousEnabledState()).isEqualTo("disabled");
    assertThat(first.enabledState()).isEqualTo("enabled");
    assertThat(second.changed()).isFalse();
    assertThat(calls().stream().filter(c -> c.startsWith("enable"))).hasSize(1);

    // and disabling it puts it back
    ServiceResult back = activities.control(request("app.service", ServiceAction.DISABLE), IGNORE);
    assertThat(back.enabledState()).isEqualTo("disabled");
  }

  @Test
  void staticUnitCannotBeEnabled() throws Exception {
    // given a unit without an [Install] section
    stubSystemctl();
    unit("helper.service", "inactive", "static");

    // when the step enables it
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.control(request("helper.service", ServiceAction.ENABLE), IGNORE));

    // then it stops at once: retrying cannot give the unit an [Install] section
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("helper.service is static");
  }

  @Test
  void unknownUnitIsANonRetryableInvalidConfig() throws Exception {
    // given no such unit on the host
    stubSystemctl();

    // when the step stops it
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.control(request("ap.service", ServiceAction.STOP), IGNORE));

    // then the step stops at once naming the unit, the step and the host
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("step stop-app on host new")
        .contains("unit ap.service could not be found");
  }

  @Test
  void unitNameWithShellCharactersReachesSystemctlAsOneWord() throws Exception {
    // given a unit name that a shell would split and run if it were not quoted
    stubSystemctl();
    String name = "app;touch " + dir.resolve("pwned") + ";x.service";

    // when the step stops it
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.control(request(name, ServiceAction.STOP), IGNORE));

    // then systemctl got it as one (unknown) unit, and nothing ran
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(calls()).contains("is-active -- " + name);
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void missingSystemctlIsANonRetryableMissingTool() {
    // given a host without systemctl
    activities = new ServiceActivitiesImpl(shells(), dir.resolve("no-such-systemctl").toString());

    // when a unit is stopped
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.control(request("app.service", ServiceAction.STOP), IGNORE));

    // then the step stops at once and says what to do instead
    assertThat(failure.getType()).isEqualTo(CutoverErrors.MISSING_TOOL);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("host new").contains("command and a check");
  }

  @RealTools
  @Test
  void realSystemctlOnAHostWithoutSystemdIsANonRetryableMissingTool() {
    // given this sandbox: Debian's systemctl is installed, but PID 1 is not systemd
    RequiredTool.require("systemctl", "apt-get install systemd", Path.of("/usr/bin/systemctl"));
    org.junit.jupiter.api.Assumptions.assumeFalse(
        isSystemdRunning(),
        "systemd runs this machine: the case needs one where it does not (a container)");
    activities = new ServiceActivitiesImpl(shells());

    // when a unit is stopped
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.control(request("app.service", ServiceAction.STOP), IGNORE));

    // then the step says systemd is not running there, without retries
    assertThat(failure.getType()).isEqualTo(CutoverErrors.MISSING_TOOL);
    assertThat(failure.getOriginalMessage()).contains("systemd is not running");
  }

  // --- custom commands, with a real background process ---------------------------------------

  @Test
  void customStartRunsTheCommandAndWaitsForTheCheck() throws Exception {
    // given a service that is not a unit: a script that starts a sleep in the background
    Path app = appScript();
    ServiceRequest request = custom(ServiceAction.START, app + " start", app + " running");

    // when the step starts it
    ServiceResult result = activities.control(request, IGNORE);

    // then the process runs, and the result says it was started
    assertThat(ProcessCheck.isRunning(ProcessCheck.readPid(dir.resolve("app.pid")))).isTrue();
    assertThat(result.changed()).isTrue();
    assertThat(result.previousActiveState()).isEqualTo("inactive");
    assertThat(result.activeState()).isEqualTo("active");
    assertThat(result.enabledState()).isNull();
    assertThat(result.unit()).isNull();

    // and a second start (a retry) finds it running and does nothing
    long pid = ProcessCheck.readPid(dir.resolve("app.pid"));
    ServiceResult again = activities.control(request, IGNORE);
    assertThat(again.changed()).isFalse();
    assertThat(ProcessCheck.readPid(dir.resolve("app.pid"))).isEqualTo(pid);
  }

  @Test
  void customStopStopsTheProcessAndIsIdempotent() throws Exception {
    // given the custom service running
    Path app = appScript();
    activities.control(custom(ServiceAction.START, app + " start", app + " running"), IGNORE);
    long pid = ProcessCheck.readPid(dir.resolve("app.pid"));

    // when the step stops it, with a check that passes while it runs
    ServiceRequest stop = custom(ServiceAction.STOP, app + " stop", app + " running");
    ServiceResult result = activities.control(stop, IGNORE);

    // then the process is gone and the result says it was running before
    assertThat(ProcessCheck.isGoneSoon(pid)).isTrue();
    assertThat(result.changed()).isTrue();
    assertThat(result.previousActiveState()).isEqualTo("active");
    assertThat(result.activeState()).isEqualTo("inactive");

    // and stopping again does not run the command
    Files.deleteIfExists(dir.resolve("stop.count"));
    ServiceResult again = activities.control(stop, IGNORE);
    assertThat(again.changed()).isFalse();
    assertThat(dir.resolve("stop.count")).doesNotExist();
  }

  @Test
  void customCommandWithoutCheckRunsEveryTime() throws Exception {
    // given a command and no check
    Path app = appScript();

    // when the step starts it
    ServiceResult result =
        activities.control(custom(ServiceAction.START, app + " start", null), IGNORE);

    // then it ran, and no state can be reported
    assertThat(ProcessCheck.isRunning(ProcessCheck.readPid(dir.resolve("app.pid")))).isTrue();
    assertThat(result.changed()).isTrue();
    assertThat(result.previousActiveState()).isNull();
    assertThat(result.activeState()).isNull();
  }

  @Test
  void customCommandThatDoesNotReachTheStateIsRetryable() throws Exception {
    // given a start command that does nothing, and a check that never passes
    ServiceRequest request =
        new ServiceRequest(
            "start-app",
            "new",
            LOCAL,
            null,
            ServiceAction.START,
            "true",
            "false",
            Duration.ofSeconds(1),
            null);

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.control(request, IGNORE));

    // then it fails retryably after the settle time
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("step start-app on host new")
        .contains("did not become active within 1s");
  }

  @Test
  void customCommandThatDoesNotExistIsNonRetryable() {
    // given a command that is not on the host
    ServiceRequest request = custom(ServiceAction.STOP, "cutover-no-such-appctl stop", null);

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.control(request, IGNORE));

    // then it stops at once
    assertThat(failure.getType()).isEqualTo(CutoverErrors.COMMAND_NOT_FOUND);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("step stop-app on host new");
  }

  @Test
  void neitherUnitNorCommandIsInvalidConfig() {
    ServiceRequest request =
        new ServiceRequest("s", "new", LOCAL, null, ServiceAction.STOP, null, null, null, null);

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.control(request, IGNORE));

    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
  }

  // --- retries: the state before is the one the first attempt read ----------------------------

  @Test
  void retryAfterAFailedStartKeepsTheStateTheFirstAttemptRead() throws Exception {
    // given a custom service that is stopped, and a start command that starts it and then exits 1
    Path app = appScript();
    Path flaky = dir.resolve("start-then-fail");
    Files.writeString(flaky, "#!/bin/sh\n" + app + " start\nexit 1\n");
    Files.setPosixFilePermissions(flaky, PosixFilePermissions.fromString("rwx------"));
    ServiceRequest start = custom(ServiceAction.START, flaky.toString(), app + " running");
    TestActivityEnvironment temporal = TestActivityEnvironment.newInstance();
    try {
      List<ServiceProgress> beats = new CopyOnWriteArrayList<>();
      temporal.registerActivitiesImplementations(activities);
      temporal.setActivityHeartbeatListener(ServiceProgress.class, beats::add);
      ServiceActivities stub =
          temporal.newActivityStub(
              ServiceActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

      // when attempt 1 runs: the service starts, the command fails
      ActivityFailure first =
          catchThrowableOfType(ActivityFailure.class, () -> stub.control(start));
      assertThat(((ApplicationFailure) first.getCause()).isNonRetryable()).isFalse();
      long pid = ProcessCheck.readPid(dir.resolve("app.pid"));
      assertThat(ProcessCheck.isRunning(pid)).isTrue();

      // and attempt 2 runs with attempt 1's last heartbeat details, as Temporal hands them on
      ServiceProgress lastBeat = beats.get(beats.size() - 1);
      temporal.setHeartbeatDetails(lastBeat);
      ServiceResult retry = stub.control(start);

      // then the retry finds it running and does not start it again, yet reports the state attempt
      // 1
      // read and a change, so the workflow keeps the undo that stops it
      assertThat(lastBeat.found().reached()).isFalse();
      assertThat(ProcessCheck.readPid(dir.resolve("app.pid"))).isEqualTo(pid);
      assertThat(retry.previousActiveState()).isEqualTo("inactive");
      assertThat(retry.activeState()).isEqualTo("active");
      assertThat(retry.changed()).isTrue();
    } finally {
      temporal.close();
    }
  }

  @Test
  void retryOfAServiceThatWasRunningBeforeTheFirstAttemptReportsNoChange() throws Exception {
    // given a custom service that was already running when attempt 1 read it
    Path app = appScript();
    ServiceRequest start = custom(ServiceAction.START, app + " start", app + " running");
    activities.control(start, IGNORE);
    ServiceProgress.FoundState attempt1 = new ServiceProgress.FoundState(null, null, true);

    // when a later attempt runs with that state
    ServiceResult retry = activities.control(start, IGNORE, attempt1);

    // then nothing changed: a rollback must not stop a service that ran before the migration
    assertThat(retry.changed()).isFalse();
    assertThat(retry.previousActiveState()).isEqualTo("active");
  }

  @Test
  void systemdRetryReportsTheStateTheFirstAttemptRead() throws Exception {
    // given a unit that attempt 1 found inactive and started before it failed
    stubSystemctl();
    unit("app.service", "active", "enabled");
    ServiceProgress.FoundState attempt1 =
        new ServiceProgress.FoundState("inactive", "enabled", null);
    List<ServiceProgress> beats = new CopyOnWriteArrayList<>();

    // when attempt 2 runs with it
    ServiceResult retry =
        activities.control(request("app.service", ServiceAction.START), beats::add, attempt1);

    // then it does not start the unit again, reports 'inactive -> active' as a change, and passes
    // the state on
    assertThat(calls()).noneMatch(c -> c.startsWith("start"));
    assertThat(retry)
        .usingRecursiveComparison()
        .ignoringFields("durationMillis")
        .isEqualTo(
            new ServiceResult(
                "app.service",
                ServiceAction.START,
                "inactive",
                "enabled",
                "active",
                "enabled",
                true,
                0));
    assertThat(beats).allSatisfy(b -> assertThat(b.found()).isEqualTo(attempt1));
  }

  @Test
  void firstAttemptHeartbeatsWhatItFoundBeforeItActs() throws Exception {
    // given an inactive unit
    stubSystemctl();
    unit("app.service", "inactive", "enabled");
    List<ServiceProgress> beats = new CopyOnWriteArrayList<>();

    // when the step starts it
    activities.control(request("app.service", ServiceAction.START), beats::add);

    // then the first heartbeat, before systemctl start, already carries the state found
    assertThat(beats).isNotEmpty();
    assertThat(beats.get(0).found())
        .isEqualTo(new ServiceProgress.FoundState("inactive", "enabled", null));
    assertThat(beats.get(0).lastLine()).contains("found");
  }

  // --- helpers --------------------------------------------------------------------------------

  @org.junit.jupiter.api.BeforeEach
  void defaultActivities() {
    activities = new ServiceActivitiesImpl(shells());
  }

  private static HostShells shells() {
    return new HostShells(new NoSshTransport(), Set.of());
  }

  private static ServiceRequest request(String unit, ServiceAction action) {
    String step = action.name().toLowerCase() + "-app";
    return new ServiceRequest(
        step, "new", LOCAL, unit, action, null, null, Duration.ofSeconds(10), null);
  }

  private static ServiceRequest custom(ServiceAction action, String command, String check) {
    String step = action.name().toLowerCase() + "-app";
    return new ServiceRequest(
        step, "new", LOCAL, null, action, command, check, Duration.ofSeconds(10), null);
  }

  /**
   * The stand-in systemctl: units are directories under units/ holding "active" and "enabled"; a
   * "slow" unit is activating for a second, a "hangs" unit never gets further. Every call is
   * logged.
   */
  private void stubSystemctl() throws IOException {
    systemctl = dir.resolve("systemctl");
    Files.writeString(
        systemctl,
        """
        #!/bin/sh
        here=$(dirname "$0")
        printf '%s\\n' "$*" >> "$here/calls.log"
        verb=$1; shift
        [ "$1" = "--" ] && shift
        u=$1; d="$here/units/$u"
        if [ ! -d "$d" ]; then
          case $verb in
            is-active) echo inactive; exit 3;;
            is-enabled) echo "Failed to get unit file state for $u: No such file or directory" >&2; exit 1;;
            stop) echo "Failed to stop $u: Unit $u not loaded." >&2; exit 5;;
            *) echo "Failed to $verb $u: Unit $u not found." >&2; exit 5;;
          esac
        fi
        case $verb in
          is-active) s=$(cat "$d/active"); echo "$s"; [ "$s" = active ];;
          is-enabled) s=$(cat "$d/enabled"); echo "$s"; [ "$s" = enabled ];;
          start|restart)
            if [ -f "$d/hangs" ]; then echo activating > "$d/active"
            elif [ -f "$d/slow" ]; then echo activating > "$d/active"; (sleep 1; echo active > "$d/active") >/dev/null 2>&1 &
            else echo active > "$d/active"; fi;;
          stop) echo inactive > "$d/active";;
          enable) echo enabled > "$d/enabled";;
          disable) echo disabled > "$d/enabled";;
          *) echo "Unknown command verb $verb." >&2; exit 1;;
        esac
        """);
    Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));
    activities = new ServiceActivitiesImpl(shells(), systemctl.toString());
  }

  private void unit(String name, String active, String enabled) throws IOException {
    Path d = Files.createDirectories(dir.resolve("units").resolve(name));
    Files.writeString(d.resolve("active"), active + "\n");
    Files.writeString(d.resolve("enabled"), enabled + "\n");
  }

  private String state(String unit) throws IOException {
    return Files.readString(dir.resolve("units").resolve(unit).resolve("active")).strip();
  }

  private List<String> calls() throws IOException {
    Path log = dir.resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /**
   * A service that is not a unit: start runs a sleep with a pid file, stop kills it, running checks
   * it.
   */
  private Path appScript() throws IOException {
    Path script = dir.resolve("appctl");
    String pid = dir.resolve("app.pid").toString();
    String count = dir.resolve("stop.count").toString();
    // "running" reads /proc: a killed sleep nobody has reaped yet is a zombie, which kill -0 still
    // sees
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "running() { p=$(cat '"
            + pid
            + "' 2>/dev/null) || return 1;"
            + " s=$(cut -d')' -f2 /proc/$p/stat 2>/dev/null | cut -c2); [ -n \"$s\" ] && [ \"$s\" != Z ]; }\n"
            + "case \"$1\" in\n"
            + "  start) sleep 300 >/dev/null 2>&1 & echo $! > '"
            + pid
            + "';;\n"
            + "  stop) echo stop >> '"
            + count
            + "'; kill \"$(cat '"
            + pid
            + "')\"; i=0;"
            + " while running && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done;;\n"
            + "  running) running;;\n"
            + "esac\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static boolean isSystemdRunning() {
    return Files.isDirectory(Path.of("/run/systemd/system"));
  }
}
