package dev.cutover.plan.load;

import dev.cutover.plan.Gate;
import dev.cutover.plan.Host;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.PlanPatterns;
import dev.cutover.plan.Retry;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Checks what the binder cannot: references between fields, names, and what this version can run.
 */
final class PlanValidator {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  static final Pattern SECRET_REF = Pattern.compile("(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+)");

  /** A DNS name, an IPv4 address or an IPv6 address (without brackets); never starting with '-'. */
  static final Pattern ADDRESS =
      Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  static final Pattern HOST_KEY = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

  /**
   * Database, role and schema names as cutover quotes them into SQL and shells: no quotes, no
   * spaces.
   */
  static final Pattern PG_NAME = PlanPatterns.PG_NAME;

  /** The workflow's retry defaults (StepExecutor's); RetryDefaultsTest keeps them equal. */
  static final Duration RETRY_INITIAL_INTERVAL = Duration.ofSeconds(5);

  static final Duration RETRY_MAX_INTERVAL = Duration.ofMinutes(5);

  /** State that a kind's checks keep across the plan's steps (see {@link SpecCheck#shared}). */
  private final Map<Object, Object> shared = new HashMap<>();

  private final Plan plan;
  private final BiConsumer<String, String> report;
  private final DnsZoneChecks zones;
  private final NotificationChecks notifications;

  /**
   * @param report receives (field path, message); the loader turns the path into a line and column.
   */
  PlanValidator(Plan plan, BiConsumer<String, String> report) {
    this.plan = plan;
    this.report = report;
    this.zones = new DnsZoneChecks(plan, report);
    this.notifications = new NotificationChecks(plan, report);
  }

  void validate() {
    if (plan.migration() != null && !NAME.matcher(plan.migration()).matches()) {
      report.accept(
          "migration",
          "'"
              + plan.migration()
              + "' is not a valid name: use lower case letters, digits and hyphens, at most 63");
    }
    plan.hosts().forEach(this::checkHost);
    plan.databases().forEach(this::checkDatabase);
    plan.dns().forEach(zones::checkZone);
    plan.secrets()
        .forEach(
            (name, ref) -> {
              if (!SECRET_REF.matcher(ref).matches()) {
                report.accept(
                    "secrets." + name,
                    "a secret is a reference, env:NAME or file:/absolute/path, not a value");
              }
            });
    notifications.check();
    new ApproverChecks(plan, report).check();
    if (plan.window() != null) {
      checkPositive("window.downtimeBudget", plan.window().downtimeBudget());
    }
    if (plan.phases() != null) {
      checkPhases();
      checkGates();
    }
  }

  private void checkHost(String name, Host host) {
    String path = "hosts." + name;
    if (!STEP_NAME.matcher(name).matches()) {
      report.accept(
          path,
          "'"
              + name
              + "' is not a valid host name for a plan: use letters, digits, '.', '_' and '-'");
    }
    if (host.port() != null && (host.port() < 1 || host.port() > 65535)) {
      report.accept(path + ".port", "port " + host.port() + " is out of range 1-65535");
    }
    if (!host.usesSsh()) {
      for (String[] field :
          new String[][] {
            {"identityFile", host.identityFile()},
            {"passphraseSecret", host.passphraseSecret()},
            {"knownHosts", host.knownHosts()},
            {"hostKey", host.hostKey()},
            {"jump", host.jump()}
          }) {
        if (field[1] != null) {
          report.accept(
              path + "." + field[0],
              "field '" + field[0] + "' applies to ssh hosts only; this host's transport is local");
        }
      }
      return;
    }
    if (host.address() == null || host.address().isBlank()) {
      report.accept(
          path, "missing field 'address': an ssh host needs the name or IP address to connect to");
    } else if (!ADDRESS.matcher(host.address()).matches()) {
      // It reaches ssh's command line and a known_hosts line on the hosts: only a name or an IP.
      report.accept(path + ".address", "'" + host.address() + "' is not a host name or IP address");
    }
    if (host.hostKey() != null && !HOST_KEY.matcher(host.hostKey()).matches()) {
      report.accept(
          path + ".hostKey",
          "'"
              + host.hostKey()
              + "' is not a SHA256 fingerprint; copy it from `ssh-keygen -lf KEY.pub` or `ssh-keyscan HOST | ssh-keygen -lf -`: SHA256: and 43 base64 characters");
    }
    checkFile(path + ".identityFile", host.identityFile());
    checkFile(path + ".knownHosts", host.knownHosts());
    if (host.passphraseSecret() != null && !plan.secrets().containsKey(host.passphraseSecret())) {
      report.accept(path + ".passphraseSecret", "names no entry under secrets" + declaredSecrets());
    }
    if (host.jump() != null) {
      Host jump = plan.hosts().get(host.jump());
      if (host.jump().equals(name)) {
        report.accept(path + ".jump", "a host cannot be its own jump host");
      } else if (jump == null) {
        report.accept(path + ".jump", "unknown host '" + host.jump() + "'; " + knownHosts());
      } else if (!jump.usesSsh()) {
        report.accept(path + ".jump", "jump host '" + host.jump() + "' must be an ssh host");
      } else if (jumpCycle(name)) {
        report.accept(path + ".jump", "jump hosts form a cycle through '" + name + "'");
      }
    }
  }

  private void checkDatabase(String name, dev.cutover.plan.Database db) {
    String path = "databases." + name;
    if (!STEP_NAME.matcher(name).matches()) {
      report.accept(
          path,
          "'"
              + name
              + "' is not a valid database name for a plan: use letters, digits, '.', '_' and '-'");
    }
    if (db.host() != null && !plan.hosts().containsKey(db.host())) {
      report.accept(path + ".host", "unknown host '" + db.host() + "'; " + knownHosts());
    }
    if (db.name() != null && !PG_NAME.matcher(db.name()).matches()) {
      report.accept(
          path + ".name",
          "'"
              + db.name()
              + "' is not a database name cutover accepts: letters, digits, '_', '$' and '-', at most 63");
    }
    if (db.user() != null && !PG_NAME.matcher(db.user()).matches()) {
      report.accept(
          path + ".user",
          "'"
              + db.user()
              + "' is not a role name cutover accepts: letters, digits, '_', '$' and '-', at most 63");
    }
    if (db.port() != null && (db.port() < 1 || db.port() > 65535)) {
      report.accept(path + ".port", "port " + db.port() + " is out of range 1-65535");
    }
    if (db.passwordSecret() != null && !plan.secrets().containsKey(db.passwordSecret())) {
      // The value is not repeated: an operator may have pasted the password itself here.
      report.accept(
          path + ".passwordSecret",
          "names no entry under secrets"
              + declaredSecrets()
              + "; passwordSecret is a secret's name, and secrets maps the name to env:NAME or file:/path");
    }
    if (db.address() != null && !ADDRESS.matcher(db.address()).matches()) {
      report.accept(path + ".address", "'" + db.address() + "' is not a host name or IP address");
    }
  }

  private boolean jumpCycle(String start) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    String at = start;
    while (at != null && plan.hosts().get(at) != null) {
      if (!seen.add(at)) {
        return true;
      }
      at = plan.hosts().get(at).jump();
    }
    return false;
  }

  private void checkFile(String path, String file) {
    if (file != null && !(file.startsWith("/") || file.startsWith("~/"))) {
      report.accept(path, "'" + file + "' must be an absolute path (or start with ~/)");
    }
  }

  private String declaredSecrets() {
    return plan.secrets().isEmpty()
        ? " (the plan declares none)"
        : " (declared: "
            + String.join(", ", new java.util.TreeSet<>(plan.secrets().keySet()))
            + ")";
  }

  private String knownHosts() {
    return plan.hosts().isEmpty()
        ? "this plan declares no hosts"
        : "hosts in this plan: "
            + String.join(", ", new java.util.TreeSet<>(plan.hosts().keySet()));
  }

  private void checkPhases() {
    var phases = plan.phases();
    if (phases.present().isEmpty()) {
      report.accept("phases", "the plan has no phase; add at least one of: " + phaseNames());
    }
    Map<String, String> stepPaths = new HashMap<>();
    int pointsOfNoReturn = 0;
    for (PhaseName phase : phases.present()) {
      String base = "phases." + phase.yamlName() + ".steps";
      List<Step> steps = phases.steps(phase);
      // An empty finish still does work when TTLs were lowered: it puts them back.
      boolean restoresTtls =
          phase == PhaseName.FINISH
              && phases.present().stream()
                  .flatMap(p -> phases.stepsWithNested(p).stream())
                  .anyMatch(s -> s.spec() != null && s.spec().leavesFinishWork());
      if (steps.isEmpty() && phase != PhaseName.LOWER_TTL && !restoresTtls) {
        report.accept(base, "phase '" + phase.yamlName() + "' has no steps");
      }
      for (int i = 0; i < steps.size(); i++) {
        pointsOfNoReturn =
            checkListed(steps.get(i), base + "[" + i + "]", phase, stepPaths, pointsOfNoReturn);
      }
    }
    if (phases.lowerTtl() != null) {
      checkPositive("phases.lower-ttl.oldTtl", phases.lowerTtl().oldTtl());
      if (phases.lowerTtl().oldTtl() == null
          && phases.lowerTtl().steps().stream()
              .noneMatch(s -> s.spec() != null && s.spec().readsOldTtl())) {
        report.accept(
            "phases.lower-ttl",
            "missing field 'oldTtl': without a dns-ttl step in this phase, cutover cannot know how long the old TTL was");
      }
    }
    if (phases.presync() != null) {
      var presync = phases.presync();
      checkPositive("phases.presync.every", presync.every());
      if (presync.rounds() != null && presync.rounds() < 1) {
        report.accept("phases.presync.rounds", "rounds must be at least 1");
      }
      boolean windowed = plan.window() != null && plan.window().notBefore() != null;
      if (windowed && presync.every() == null) {
        report.accept(
            "phases.presync",
            "missing field 'every': presync repeats until window.notBefore, so it needs the time between rounds");
      }
      if (!windowed
          && presync.rounds() != null
          && presync.rounds() > 1
          && presync.every() == null) {
        report.accept(
            "phases.presync",
            "missing field 'every': more than one round needs the time between rounds");
      }
    }
    if (phases.monitor() != null) {
      var monitor = phases.monitor();
      checkPositive("phases.monitor.every", monitor.every());
      checkPositive("phases.monitor.for", monitor.duration());
    }
  }

  /**
   * One step as a phase or a branch lists it: its name unique in the whole plan, at most one point
   * of no return, its fields, and a group's branches' steps the same way. Returns the points of no
   * return counted so far.
   */
  private int checkListed(
      Step step,
      String path,
      PhaseName phase,
      Map<String, String> stepPaths,
      int pointsOfNoReturn) {
    if (step.name() == null) {
      report.accept(path + ".name", "missing required field 'name'");
    } else {
      if (step.name().equals(Step.PREFLIGHT)) {
        report.accept(
            path + ".name",
            "'"
                + step.name()
                + "' is the name of the checks cutover runs before the first step; choose another name");
      }
      String earlier = stepPaths.putIfAbsent(step.name(), path);
      if (earlier != null) {
        report.accept(
            path + ".name",
            "duplicate step name '" + step.name() + "' (first used at " + earlier + ")");
      }
    }
    int seen = pointsOfNoReturn;
    if (step.isPointOfNoReturn()) {
      seen++;
      if (seen > 1) {
        report.accept(path + ".pointOfNoReturn", "only one step can be the point of no return");
      }
    }
    checkStep(step, path, phase, false);
    if (step.undo() != null && (phase == PhaseName.PRESYNC || phase == PhaseName.MONITOR)) {
      // These steps repeat every round; one undo per round would run many times on abort.
      report.accept(
          path + ".undo",
          "a step in phase "
              + phase.yamlName()
              + " repeats every round and cannot have an undo; put the undo on a prepare or downtime step");
    }
    List<dev.cutover.plan.Branch> branches = step.branches();
    for (int b = 0; b < branches.size(); b++) {
      List<Step> nested = branches.get(b).stepsOrEmpty();
      for (int k = 0; k < nested.size(); k++) {
        Step inner = nested.get(k);
        String innerPath = path + ".branches[" + b + "].steps[" + k + "]";
        if (inner.isGroup()) {
          report.accept(
              innerPath + ".kind",
              "a group cannot run inside a branch of group '"
                  + step.name()
                  + "'; put its branches in the outer group instead");
          continue;
        }
        seen = checkListed(inner, innerPath, phase, stepPaths, seen);
      }
    }
    return seen;
  }

  private void checkStep(Step step, String path, PhaseName phase, boolean isUndo) {
    if (step.kind() == null || step.spec() == null) {
      return;
    }
    if (step.name() != null && !isUndo && !STEP_NAME.matcher(step.name()).matches()) {
      report.accept(
          path + ".name",
          "'"
              + step.name()
              + "' is not a valid step name: use letters, digits, '.', '_' and '-', at most 100");
    }
    checkPositive(path + ".timeout", step.timeout());
    checkRetry(path + ".retry", step.retry());
    step.spec().validate(new SpecCheck(plan, step, phase, isUndo, path, report, shared));
    if (step.undo() != null) {
      Step undo = step.undo();
      if (undo.undo() != null) {
        report.accept(path + ".undo.undo", "an undo step cannot have an undo of its own");
      }
      if (undo.spec() != null && !undo.spec().canUndo()) {
        report.accept(
            path + ".undo.kind",
            "an undo must change something back; a "
                + undo.kind().yamlName()
                + " step cannot be an undo");
      }
      if (undo.isPointOfNoReturn()) {
        report.accept(
            path + ".undo.pointOfNoReturn", "an undo step cannot be the point of no return");
      }
      checkStep(undo, path + ".undo", phase, true);
    }
  }

  private void checkRetry(String path, Retry retry) {
    if (retry == null) {
      return;
    }
    if (retry.maxAttempts() != null && retry.maxAttempts() < 1) {
      report.accept(path + ".maxAttempts", "maxAttempts must be at least 1");
    }
    if (retry.backoff() != null && retry.backoff() < 1.0) {
      report.accept(path + ".backoff", "backoff must be at least 1.0");
    }
    checkPositive(path + ".initialInterval", retry.initialInterval());
    checkPositive(path + ".maxInterval", retry.maxInterval());
    Duration initial =
        retry.initialInterval() != null ? retry.initialInterval() : RETRY_INITIAL_INTERVAL;
    Duration max = retry.maxInterval() != null ? retry.maxInterval() : RETRY_MAX_INTERVAL;
    if (positive(initial) && positive(max) && max.compareTo(initial) < 0) {
      // Temporal refuses to schedule an activity with this policy: the run would fail its workflow
      // task over and over.
      if (retry.maxInterval() != null) {
        report.accept(
            path + ".maxInterval",
            "maxInterval "
                + DurationText.format(max)
                + " is shorter than initialInterval "
                + DurationText.format(initial)
                + (retry.initialInterval() == null ? " (the default)" : "")
                + "; Temporal refuses such a retry policy");
      } else {
        report.accept(
            path + ".initialInterval",
            "initialInterval "
                + DurationText.format(initial)
                + " is longer than the default maxInterval "
                + DurationText.format(max)
                + "; set maxInterval too (at least "
                + DurationText.format(initial)
                + ")");
      }
    }
  }

  private void checkGates() {
    Map<String, Integer> names = new HashMap<>();
    List<Gate> gates = plan.gates();
    for (int i = 0; i < gates.size(); i++) {
      Gate gate = gates.get(i);
      String path = "gates[" + i + "]";
      if (gate.name() != null) {
        if (gate.name().equals(Gate.BUDGET)) {
          report.accept(
              path + ".name",
              "'"
                  + gate.name()
                  + "' is the gate cutover opens itself when the downtime budget is spent; choose another name");
        }
        if (!STEP_NAME.matcher(gate.name()).matches()) {
          report.accept(
              path + ".name",
              "'"
                  + gate.name()
                  + "' is not a valid gate name: use letters, digits, '.', '_' and '-'");
        }
        if (names.putIfAbsent(gate.name(), i) != null) {
          report.accept(path + ".name", "duplicate gate name '" + gate.name() + "'");
        }
      }
      if (gate.before() != null) {
        PhaseName phase = PhaseName.fromYaml(gate.before());
        if (phase == null) {
          report.accept(
              path + ".before", "'" + gate.before() + "' is not a phase; phases: " + phaseNames());
        } else if (!plan.phases().has(phase)) {
          report.accept(
              path + ".before",
              "the gate names phase '" + gate.before() + "', which this plan does not have");
        }
      }
      checkPositive(path + ".deadline", gate.deadline());
    }
  }

  private static boolean positive(Duration d) {
    return !d.isZero() && !d.isNegative();
  }

  private void checkPositive(String path, Duration d) {
    if (d != null && (d.isZero() || d.isNegative())) {
      report.accept(path, "must be longer than zero");
    }
  }

  private static String phaseNames() {
    List<String> names = new ArrayList<>();
    for (PhaseName p : PhaseName.values()) {
      names.add(p.yamlName());
    }
    return String.join(", ", names);
  }
}
