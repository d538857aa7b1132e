package dev.cutover.plan.load;

import dev.cutover.plan.Gate;
import dev.cutover.plan.Host;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Retry;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import dev.cutover.plan.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** Checks what the binder cannot: references between fields, names, and what this version can run. */
final class PlanValidator {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  static final Pattern SECRET_REF = Pattern.compile("(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+)");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Plan plan;
  private final BiConsumer<String, String> report;

  /** @param report receives (field path, message); the loader turns the path into a line and column. */
  PlanValidator(Plan plan, BiConsumer<String, String> report) {
    this.plan = plan;
    this.report = report;
  }

  void validate() {
    if (plan.migration() != null && !NAME.matcher(plan.migration()).matches()) {
      report.accept("migration", "'" + plan.migration() + "' is not a valid name: use lower case letters, digits and hyphens, at most 63");
    }
    plan.hosts().forEach(this::checkHost);
    plan.secrets().forEach((name, ref) -> {
      if (!SECRET_REF.matcher(ref).matches()) {
        report.accept("secrets." + name, "a secret is a reference, env:NAME or file:/absolute/path, not a value");
      }
    });
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
      report.accept(path, "'" + name + "' is not a valid host name for a plan: use letters, digits, '.', '_' and '-'");
    }
    if (host.transportOrDefault() == Transport.SSH) {
      report.accept(path + ".transport", "transport 'ssh' is not available in this version of cutover; use 'local'");
    }
    if (host.port() != null && (host.port() < 1 || host.port() > 65535)) {
      report.accept(path + ".port", "port " + host.port() + " is out of range 1-65535");
    }
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
      if (steps.isEmpty() && phase != PhaseName.LOWER_TTL) {
        report.accept(base, "phase '" + phase.yamlName() + "' has no steps");
      }
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        String path = base + "[" + i + "]";
        if (step.name() == null) {
          report.accept(path + ".name", "missing required field 'name'");
        } else {
          String earlier = stepPaths.putIfAbsent(step.name(), path);
          if (earlier != null) {
            report.accept(path + ".name", "duplicate step name '" + step.name() + "' (first used at " + earlier + ")");
          }
        }
        if (step.isPointOfNoReturn()) {
          pointsOfNoReturn++;
          if (pointsOfNoReturn > 1) {
            report.accept(path + ".pointOfNoReturn", "only one step can be the point of no return");
          }
        }
        checkStep(step, path, true);
        if (step.undo() != null && (phase == PhaseName.PRESYNC || phase == PhaseName.MONITOR)) {
          // These steps repeat every round; one undo per round would run many times on abort.
          report.accept(path + ".undo", "a step in phase " + phase.yamlName() + " repeats every round and cannot have an undo; put the undo on a prepare or downtime step");
        }
      }
    }
    if (phases.lowerTtl() != null) {
      checkPositive("phases.lower-ttl.oldTtl", phases.lowerTtl().oldTtl());
    }
    if (phases.presync() != null) {
      var presync = phases.presync();
      checkPositive("phases.presync.every", presync.every());
      if (presync.rounds() != null && presync.rounds() < 1) {
        report.accept("phases.presync.rounds", "rounds must be at least 1");
      }
      boolean windowed = plan.window() != null && plan.window().notBefore() != null;
      if (windowed && presync.every() == null) {
        report.accept("phases.presync", "missing field 'every': presync repeats until window.notBefore, so it needs the time between rounds");
      }
      if (!windowed && presync.rounds() != null && presync.rounds() > 1 && presync.every() == null) {
        report.accept("phases.presync", "missing field 'every': more than one round needs the time between rounds");
      }
    }
    if (phases.monitor() != null) {
      var monitor = phases.monitor();
      checkPositive("phases.monitor.every", monitor.every());
      checkPositive("phases.monitor.for", monitor.duration());
    }
  }

  private void checkStep(Step step, String path, boolean named) {
    if (step.kind() == null) {
      return;
    }
    if (!step.kind().available()) {
      report.accept(path + ".kind", "step kind '" + step.kind().yamlName() + "' is not available in this version of cutover; available: " + availableKinds());
      return;
    }
    if (step.host() != null && !plan.hosts().containsKey(step.host())) {
      report.accept(path + ".host", "unknown host '" + step.host() + "'; "
          + (plan.hosts().isEmpty() ? "this plan declares no hosts" : "hosts in this plan: " + String.join(", ", new java.util.TreeSet<>(plan.hosts().keySet()))));
    }
    if (step.name() != null && named && !STEP_NAME.matcher(step.name()).matches()) {
      report.accept(path + ".name", "'" + step.name() + "' is not a valid step name: use letters, digits, '.', '_' and '-', at most 100");
    }
    checkPositive(path + ".timeout", step.timeout());
    checkRetry(path + ".retry", step.retry());
    switch (step.kind()) {
      case RUN -> {
        if (step.command() == null || step.command().isBlank()) {
          report.accept(path, "missing field 'command': a run step needs the command to run");
        }
        if (step.host() == null) {
          report.accept(path, "missing field 'host': a run step needs the host to run on");
        }
        step.env().keySet().forEach(k -> checkEnvName(path + ".env." + k, k));
        step.secretEnv().forEach((k, secret) -> {
          checkEnvName(path + ".secretEnv." + k, k);
          if (!plan.secrets().containsKey(secret)) {
            // The value is not repeated: an operator may have pasted the password itself here.
            report.accept(path + ".secretEnv." + k, "names no entry under secrets"
                + (plan.secrets().isEmpty() ? " (the plan declares none)" : " (declared: " + String.join(", ", new java.util.TreeSet<>(plan.secrets().keySet())) + ")")
                + "; secretEnv maps a variable to a secret's name, and secrets maps the name to env:NAME or file:/path");
          }
        });
        notFor(step, path, "duration", step.duration() != null);
      }
      case WAIT -> {
        if (step.duration() == null) {
          report.accept(path, "missing field 'duration': a wait step needs how long to wait");
        } else {
          checkPositive(path + ".duration", step.duration());
        }
        notFor(step, path, "command", step.command() != null);
        notFor(step, path, "undo", step.undo() != null);
      }
      default -> {}
    }
    if (step.undo() != null) {
      Step undo = step.undo();
      if (undo.undo() != null) {
        report.accept(path + ".undo.undo", "an undo step cannot have an undo of its own");
      }
      if (undo.kind() == StepKind.WAIT) {
        report.accept(path + ".undo.kind", "an undo must change something back; a wait step cannot be an undo");
      }
      if (undo.isPointOfNoReturn()) {
        report.accept(path + ".undo.pointOfNoReturn", "an undo step cannot be the point of no return");
      }
      checkStep(undo, path + ".undo", false);
    }
  }

  private void notFor(Step step, String path, String field, boolean present) {
    if (present) {
      report.accept(path + "." + field, "field '" + field + "' does not apply to a " + step.kind().yamlName() + " step");
    }
  }

  private void checkEnvName(String path, String name) {
    if (!ENV_NAME.matcher(name).matches()) {
      report.accept(path, "'" + name + "' is not a valid environment variable name");
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
  }

  private void checkGates() {
    Map<String, Integer> names = new HashMap<>();
    List<Gate> gates = plan.gates();
    for (int i = 0; i < gates.size(); i++) {
      Gate gate = gates.get(i);
      String path = "gates[" + i + "]";
      if (gate.name() != null) {
        if (gate.name().equals(Gate.BUDGET)) {
          report.accept(path + ".name", "'" + gate.name() + "' is the gate cutover opens itself when the downtime budget is spent; choose another name");
        }
        if (!STEP_NAME.matcher(gate.name()).matches()) {
          report.accept(path + ".name", "'" + gate.name() + "' is not a valid gate name: use letters, digits, '.', '_' and '-'");
        }
        if (names.putIfAbsent(gate.name(), i) != null) {
          report.accept(path + ".name", "duplicate gate name '" + gate.name() + "'");
        }
      }
      if (gate.before() != null) {
        PhaseName phase = PhaseName.fromYaml(gate.before());
        if (phase == null) {
          report.accept(path + ".before", "'" + gate.before() + "' is not a phase; phases: " + phaseNames());
        } else if (!plan.phases().has(phase)) {
          report.accept(path + ".before", "the gate names phase '" + gate.before() + "', which this plan does not have");
        }
      }
      checkPositive(path + ".deadline", gate.deadline());
    }
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

  private static String availableKinds() {
    List<String> names = new ArrayList<>();
    for (StepKind k : StepKind.values()) {
      if (k.available()) {
        names.add(k.yamlName());
      }
    }
    return String.join(", ", names);
  }
}
