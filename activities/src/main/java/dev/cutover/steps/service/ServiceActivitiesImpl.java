package dev.cutover.steps.service;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Pause;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.service.ServiceProgress.FoundState;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Runs {@code service} steps: a systemd unit through {@code systemctl}, or a service that is not a
 * unit through the step's own command and check.
 *
 * <p>systemd: the unit's states are read first ({@code is-active}, {@code is-enabled}); the action
 * is applied only when the unit is not already in the state it asks for (restart always restarts);
 * then the states are read until they match, within the settle time. Custom: the check ({@code
 * checkCommand}) exits 0 while the service runs (for enable and disable: while it is enabled), the
 * way a status command does, so one check serves a stop step, a start step and their undo. It runs
 * first, and when the service is already in the action's state nothing is done (restart excepted);
 * otherwise the command runs and the check is repeated until the state is reached, within the
 * settle time.
 *
 * <p>Retries: what the first attempt read is the state before, whatever later attempts find. It
 * goes out in the heartbeat details ({@link ServiceProgress}) before anything is applied (the first
 * heartbeat of an attempt is sent at once, and a failing attempt's last details travel with its
 * failure), and Temporal hands them to the next attempt. So an attempt 1 that read 'inactive',
 * started the unit and then failed leaves an attempt 2 that finds it 'active' reporting 'inactive
 * -> active', changed, and the undo that stops it again is kept; while a unit that was already
 * active before the first attempt is reported unchanged, and a rollback leaves it running. A retry
 * without details never got as far as acting, so what it reads itself is the state before.
 */
public class ServiceActivitiesImpl implements ServiceActivities {
  static final Duration DEFAULT_SETTLE = Duration.ofSeconds(60);
  static final Duration POLL_EVERY = Duration.ofMillis(500);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /** Enabled states in which a unit cannot be enabled or disabled by systemctl. */
  private static final Set<String> NOT_INSTALLABLE =
      Set.of("static", "indirect", "generated", "transient", "bad");

  private final HostShells shells;
  private final String systemctl;

  public ServiceActivitiesImpl(HostShells shells) {
    this(shells, "systemctl");
  }

  /**
   * @param systemctl the systemctl program on the hosts; tests pass a stand-in
   */
  public ServiceActivitiesImpl(HostShells shells, String systemctl) {
    this.shells = shells;
    this.systemctl = systemctl;
  }

  @Override
  public ServiceResult control(ServiceRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    FoundState earlier =
        context.getHeartbeatDetails(ServiceProgress.class).map(ServiceProgress::found).orElse(null);
    return control(request, context::heartbeat, earlier);
  }

  /**
   * Applies the action as a first attempt; {@code heartbeat} throws when Temporal asks to cancel.
   */
  ServiceResult control(ServiceRequest request, Heartbeat<ServiceProgress> heartbeat) {
    return control(request, heartbeat, null);
  }

  /**
   * Applies the action; {@code earlier} is the state an earlier attempt of the same activity found
   * (from its heartbeat details), {@code null} on the first attempt or when none got that far.
   */
  ServiceResult control(
      ServiceRequest request, Heartbeat<ServiceProgress> heartbeat, FoundState earlier) {
    return ShellFailures.inStep(
        request.step(),
        () -> {
          validate(request);
          HostShell shell = shells.shell(request.hostName(), request.host());
          boolean sudo =
              request.host() != null
                  ? request.host().sudoFor(request.sudo())
                  : Boolean.TRUE.equals(request.sudo());
          Run run = new Run(request, shell, sudo, heartbeat, System.nanoTime(), earlier);
          return request.command() != null ? run.custom() : run.systemd();
        });
  }

  private static void validate(ServiceRequest r) {
    if (r.action() == null) {
      throw invalid(r, "no action (start, stop, restart, enable or disable)");
    }
    if (r.command() == null && (r.unit() == null || r.unit().isBlank())) {
      throw invalid(r, "neither a systemd unit nor a command is given");
    }
    if (r.settleTimeout() != null
        && (r.settleTimeout().isNegative() || r.settleTimeout().isZero())) {
      throw invalid(r, "settle must be a positive duration");
    }
  }

  private static ApplicationFailure invalid(ServiceRequest r, String what) {
    return ApplicationFailure.newNonRetryableFailure(
        "step " + r.step() + " on host " + r.hostName() + ": " + what,
        CutoverErrors.INVALID_CONFIG);
  }

  /** A unit's two states, as systemctl prints them. */
  record UnitState(String active, String enabled) {}

  /** One application of a request: its host, its clock, its heartbeat. */
  private final class Run {
    private final ServiceRequest request;
    private final HostShell shell;
    private final boolean sudo;
    private final Heartbeat<ServiceProgress> heartbeat;
    private final long started;
    private final Duration settle;
    private final String where;

    /** What the first attempt found; sent with every heartbeat so that the next attempt has it. */
    private volatile FoundState found;

    Run(
        ServiceRequest request,
        HostShell shell,
        boolean sudo,
        Heartbeat<ServiceProgress> heartbeat,
        long started,
        FoundState earlier) {
      this.request = request;
      this.shell = shell;
      this.sudo = sudo;
      this.heartbeat = heartbeat;
      this.started = started;
      this.settle = request.settleTimeout() != null ? request.settleTimeout() : DEFAULT_SETTLE;
      this.where = "step " + request.step() + " on host " + request.hostName();
      this.found = earlier;
    }

    /**
     * The state before: an earlier attempt's when there was one, else {@code now}, which is then
     * heartbeated before anything is applied.
     */
    private FoundState firstFound(FoundState now) {
      if (found == null) {
        found = now;
        beat("found the service " + describe(now));
      }
      return found;
    }

    // --- systemd ---------------------------------------------------------------------------

    ServiceResult systemd() {
      String unit = request.unit();
      ServiceAction action = request.action();
      UnitState now = read();
      refuseImpossible(now);
      FoundState first = firstFound(new FoundState(now.active(), now.enabled(), null));
      UnitState before =
          first.active() != null && first.enabled() != null
              ? new UnitState(first.active(), first.enabled())
              : now;
      boolean apply = action == ServiceAction.RESTART || !reached(action, now);
      if (apply) {
        beat("systemctl " + verb(action) + " " + unit);
        String script = Sh.quote(systemctl) + " " + verb(action) + " -- " + Sh.quote(unit);
        ShellResult result =
            shell.exec(
                ShellCommand.of(script, settle.plus(Duration.ofSeconds(30))).withSudo(sudo),
                watch());
        if (!result.ok()) {
          throw applyFailure(result);
        }
      }
      UnitState after = now;
      if (apply) {
        after = read();
        long deadline = started + settle.toNanos();
        while (!reached(action, after)) {
          if (System.nanoTime() > deadline) {
            throw ApplicationFailure.newFailure(
                where
                    + ": unit "
                    + unit
                    + " did not become "
                    + goal(action)
                    + " within "
                    + settle.toSeconds()
                    + "s after systemctl "
                    + verb(action)
                    + "; it is "
                    + describe(after),
                CutoverErrors.COMMAND_TIMED_OUT);
          }
          beat(unit + " is " + describe(after) + ", waiting for " + goal(action));
          pause();
          after = read();
        }
      }
      // An earlier attempt may have made the change this one finds done: then it is a change all
      // the same.
      boolean changed = apply || !reached(action, before);
      return new ServiceResult(
          unit,
          action,
          before.active(),
          before.enabled(),
          after.active(),
          after.enabled(),
          changed,
          elapsedMillis());
    }

    /**
     * Both states of the unit; an unknown unit, a missing systemctl or a host without systemd stop
     * the step.
     */
    private UnitState read() {
      String sc = Sh.quote(systemctl);
      String unit = Sh.quote(request.unit());
      String script =
          "a=$("
              + sc
              + " is-active -- "
              + unit
              + " 2>&1); ra=$?\n"
              + "e=$("
              + sc
              + " is-enabled -- "
              + unit
              + " 2>&1); re=$?\n"
              + "printf 'rc %s %s\\n' \"$ra\" \"$re\"\n"
              + "printf 'active %s\\n' \"$a\"\n"
              + "printf 'enabled %s\\n' \"$e\"";
      ShellResult result = shell.exec(ShellCommand.of(script, READ_TIMEOUT).withSudo(sudo));
      if (!result.ok()) {
        throw ShellFailures.failure(where + ": reading the state of " + request.unit(), result);
      }
      String out = result.stdout();
      String active = field(out, "active ");
      String enabled = field(out, "enabled ");
      String rc = field(out, "rc ");
      boolean cannotRun =
          java.util.Arrays.stream(rc.split("\\s+"))
              .anyMatch(
                  c ->
                      c.equals(Integer.toString(ShellFailures.EXIT_NOT_FOUND))
                          || c.equals(Integer.toString(ShellFailures.EXIT_NOT_EXECUTABLE)));
      if (cannotRun) {
        throw ApplicationFailure.newNonRetryableFailureWithCause(
            where
                + ": "
                + systemctl
                + " is not available ("
                + firstLine(active)
                + "); for a service that is not a systemd unit, give the step a command and a check",
            CutoverErrors.MISSING_TOOL,
            null,
            result.asRunResult());
      }
      if (out.contains("has not been booted with systemd")
          || out.contains("Failed to connect to bus")) {
        throw ApplicationFailure.newNonRetryableFailureWithCause(
            where
                + ": systemd is not running there ("
                + firstLine(active)
                + "); for a service that is not a systemd unit, give the step a command and a check",
            CutoverErrors.MISSING_TOOL,
            null,
            result.asRunResult());
      }
      if (isUnknownUnit(enabled) || "not-found".equals(firstLine(active))) {
        throw unknownUnit(result);
      }
      return new UnitState(firstLine(active), firstLine(enabled));
    }

    private void refuseImpossible(UnitState state) {
      ServiceAction action = request.action();
      boolean installAction = action == ServiceAction.ENABLE || action == ServiceAction.DISABLE;
      if (installAction && NOT_INSTALLABLE.contains(state.enabled())) {
        throw ApplicationFailure.newNonRetryableFailure(
            where
                + ": unit "
                + request.unit()
                + " is "
                + state.enabled()
                + " (no [Install] section of its own), so systemctl cannot "
                + verb(action)
                + " it",
            CutoverErrors.INVALID_CONFIG);
      }
      boolean startAction =
          action == ServiceAction.START
              || action == ServiceAction.RESTART
              || action == ServiceAction.ENABLE;
      if (startAction && state.enabled().startsWith("masked")) {
        throw ApplicationFailure.newNonRetryableFailure(
            where
                + ": unit "
                + request.unit()
                + " is masked; it cannot be "
                + goal(action)
                + " until someone unmasks it (systemctl unmask)",
            CutoverErrors.INVALID_CONFIG);
      }
    }

    private ApplicationFailure applyFailure(ShellResult result) {
      String out = result.outputTail();
      if (!result.timedOut()) {
        if (isUnknownUnit(out) || out.contains("not loaded")) {
          return unknownUnit(result);
        }
        if (out.contains("Access denied")
            || out.contains("Interactive authentication required")
            || out.contains("Permission denied")) {
          return ShellFailures.permissionDenied(
              where
                  + ": not allowed to "
                  + verb(request.action())
                  + " "
                  + request.unit()
                  + ": "
                  + result.lastLine(),
              sudo,
              result);
        }
        if (out.contains("masked")) {
          return ApplicationFailure.newNonRetryableFailureWithCause(
              where + ": unit " + request.unit() + " is masked: " + result.lastLine(),
              CutoverErrors.INVALID_CONFIG,
              null,
              result.asRunResult());
        }
      }
      return ShellFailures.failure(
          where + ": systemctl " + verb(request.action()) + " " + request.unit(), result);
    }

    private ApplicationFailure unknownUnit(ShellResult result) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          where
              + ": unit "
              + request.unit()
              + " could not be found (check the name, with its suffix like .service)",
          CutoverErrors.INVALID_CONFIG,
          null,
          result.asRunResult());
    }

    // --- custom commands -------------------------------------------------------------------

    ServiceResult custom() {
      ServiceAction action = request.action();
      String check = request.checkCommand();
      Boolean reachedNow = check == null ? null : checkSaysReached(action);
      Boolean reachedBefore = firstFound(new FoundState(null, null, reachedNow)).reached();
      boolean apply = action == ServiceAction.RESTART || !Boolean.TRUE.equals(reachedNow);
      Boolean reachedAfter = reachedNow;
      if (apply) {
        beat("running the step's command");
        ShellResult result =
            shell.exec(
                new ShellCommand(request.command(), null, null, null, sudo, null, null), watch());
        ShellFailures.check(where + ": " + verb(action) + " command", result);
        reachedAfter = null;
        if (check != null) {
          long deadline = started + settle.toNanos();
          while (!(reachedAfter = checkSaysReached(action))) {
            if (System.nanoTime() > deadline) {
              throw ApplicationFailure.newFailure(
                  where
                      + ": the service did not become "
                      + goal(action)
                      + " within "
                      + settle.toSeconds()
                      + "s after its "
                      + verb(action)
                      + " command: the check still fails",
                  CutoverErrors.COMMAND_TIMED_OUT);
            }
            beat("waiting for the check to pass (" + goal(action) + ")");
            pause();
          }
        }
      }
      boolean install = action == ServiceAction.ENABLE || action == ServiceAction.DISABLE;
      String previous = customState(action, reachedBefore);
      String now = customState(action, reachedAfter);
      boolean changed = apply || !Boolean.TRUE.equals(reachedBefore);
      return new ServiceResult(
          request.unit(),
          action,
          install ? null : previous,
          install ? previous : null,
          install ? null : now,
          install ? now : null,
          changed,
          elapsedMillis());
    }

    /**
     * Whether the action's state is reached: the check passes for start and enable, fails for stop
     * and disable.
     */
    private boolean checkSaysReached(ServiceAction action) {
      boolean passes = check();
      return action == ServiceAction.STOP || action == ServiceAction.DISABLE ? !passes : passes;
    }

    /** Whether the check passes: exit 0. A check that cannot run at all stops the step. */
    private boolean check() {
      ShellResult result =
          shell.exec(
              new ShellCommand(request.checkCommand(), null, null, null, sudo, null, READ_TIMEOUT));
      if (result.ok()) {
        return true;
      }
      if (ShellFailures.couldNotRun(result)) {
        throw ShellFailures.failure(where + ": check command", result);
      }
      return false;
    }

    // --- shared ----------------------------------------------------------------------------

    private ExecWatch watch() {
      return new ExecWatch() {
        @Override
        public void beat(long elapsedMillis, String lastLine) {
          heartbeat.beat(new ServiceProgress(elapsedMillis(), lastLine, found));
        }
      };
    }

    private void beat(String what) {
      heartbeat.beat(new ServiceProgress(elapsedMillis(), what, found));
    }

    private void pause() {
      Pause.sleep(POLL_EVERY, where);
    }

    private long elapsedMillis() {
      return (System.nanoTime() - started) / 1_000_000;
    }
  }

  /** Whether the unit is where the action wants it. */
  static boolean reached(ServiceAction action, UnitState state) {
    return switch (action) {
      case STOP -> state.active().equals("inactive") || state.active().equals("failed");
      case START, RESTART -> state.active().equals("active");
      case ENABLE -> state.enabled().equals("enabled");
      case DISABLE -> state.enabled().equals("disabled") || state.enabled().startsWith("masked");
    };
  }

  /** What a custom check that passes (or fails) says, in systemd's words. */
  private static String customState(ServiceAction action, Boolean checkPassed) {
    if (checkPassed == null) {
      return null;
    }
    return switch (action) {
      case STOP -> checkPassed ? "inactive" : "active";
      case START, RESTART -> checkPassed ? "active" : "inactive";
      case ENABLE -> checkPassed ? "enabled" : "disabled";
      case DISABLE -> checkPassed ? "disabled" : "enabled";
    };
  }

  private static String verb(ServiceAction action) {
    return action.name().toLowerCase(Locale.ROOT);
  }

  private static String goal(ServiceAction action) {
    return switch (action) {
      case STOP -> "inactive";
      case START, RESTART -> "active";
      case ENABLE -> "enabled";
      case DISABLE -> "disabled";
    };
  }

  private static String describe(UnitState state) {
    return state.active() + "/" + state.enabled();
  }

  private static String describe(FoundState state) {
    if (state.active() != null) {
      return state.active() + "/" + state.enabled();
    }
    return state.reached() == null
        ? "without a check"
        : Boolean.TRUE.equals(state.reached()) ? "already there" : "not there yet";
  }

  private static boolean isUnknownUnit(String text) {
    return text.contains("not-found")
        || text.contains("could not be found")
        || text.contains("No such file or directory")
        || text.contains("not found.");
  }

  /**
   * The value after {@code prefix} on the line that starts with it, up to the next field's line.
   */
  private static String field(String out, String prefix) {
    int at = out.startsWith(prefix) ? 0 : out.indexOf("\n" + prefix);
    if (at < 0) {
      return "";
    }
    int from = at == 0 ? prefix.length() : at + 1 + prefix.length();
    int end = out.length();
    for (String next : new String[] {"\nrc ", "\nactive ", "\nenabled "}) {
      int n = out.indexOf(next, from);
      if (n >= 0 && n < end) {
        end = n;
      }
    }
    return out.substring(from, end).strip();
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }
}
