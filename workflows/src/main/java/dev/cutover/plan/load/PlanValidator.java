package dev.cutover.plan.load;

import dev.cutover.plan.Gate;
import dev.cutover.plan.Host;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Retry;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import dev.cutover.plan.Transport;
import dev.cutover.steps.postgres.PgReplicateStep;
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
  /** A DNS name, an IPv4 address or an IPv6 address (without brackets); never starting with '-'. */
  static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  static final Pattern HOST_KEY = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");
  static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@\\\\-]+");
  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}\\$?");
  static final Pattern OWNER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}(:[a-z_][a-z0-9_.-]{0,31})?");
  static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
  /** Database, role and schema names as cutover quotes them into SQL and shells: no quotes, no spaces. */
  static final Pattern PG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");
  /** A table as schema.table (pg_dump -T also takes * and ? patterns). */
  static final Pattern PG_TABLE = Pattern.compile("[A-Za-z_*?][A-Za-z0-9_$*?-]{0,62}\\.[A-Za-z_*?][A-Za-z0-9_$*?-]{0,62}");
  /** Publication and subscription names: PostgreSQL identifiers cutover never needs to quote. */
  static final Pattern PG_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** The workflow's retry defaults (StepExecutor's); RetryDefaultsTest keeps them equal. */
  static final Duration RETRY_INITIAL_INTERVAL = Duration.ofSeconds(5);
  static final Duration RETRY_MAX_INTERVAL = Duration.ofMinutes(5);

  static final List<String> SERVICE_ACTIONS = List.of("start", "stop", "restart", "enable", "disable");
  static final List<String> MAINTENANCE_ACTIONS = List.of("on", "off");

  private final Plan plan;
  private final BiConsumer<String, String> report;
  private final TrafficChecks traffic;
  private final NotificationChecks notifications;

  /** @param report receives (field path, message); the loader turns the path into a line and column. */
  PlanValidator(Plan plan, BiConsumer<String, String> report) {
    this.plan = plan;
    this.report = report;
    this.traffic = new TrafficChecks(plan, report);
    this.notifications = new NotificationChecks(plan, report);
  }

  void validate() {
    if (plan.migration() != null && !NAME.matcher(plan.migration()).matches()) {
      report.accept("migration", "'" + plan.migration() + "' is not a valid name: use lower case letters, digits and hyphens, at most 63");
    }
    plan.hosts().forEach(this::checkHost);
    plan.databases().forEach(this::checkDatabase);
    plan.dns().forEach(traffic::checkZone);
    plan.secrets().forEach((name, ref) -> {
      if (!SECRET_REF.matcher(ref).matches()) {
        report.accept("secrets." + name, "a secret is a reference, env:NAME or file:/absolute/path, not a value");
      }
    });
    notifications.check();
    if (plan.window() != null) {
      checkPositive("window.downtimeBudget", plan.window().downtimeBudget());
    }
    if (plan.phases() != null) {
      checkPhases();
      checkReplications();
      checkGates();
    }
  }

  private void checkHost(String name, Host host) {
    String path = "hosts." + name;
    if (!STEP_NAME.matcher(name).matches()) {
      report.accept(path, "'" + name + "' is not a valid host name for a plan: use letters, digits, '.', '_' and '-'");
    }
    if (host.port() != null && (host.port() < 1 || host.port() > 65535)) {
      report.accept(path + ".port", "port " + host.port() + " is out of range 1-65535");
    }
    if (!host.usesSsh()) {
      for (String[] field : new String[][] {{"identityFile", host.identityFile()}, {"passphraseSecret", host.passphraseSecret()},
          {"knownHosts", host.knownHosts()}, {"hostKey", host.hostKey()}, {"jump", host.jump()}}) {
        if (field[1] != null) {
          report.accept(path + "." + field[0], "field '" + field[0] + "' applies to ssh hosts only; this host's transport is local");
        }
      }
      return;
    }
    if (host.address() == null || host.address().isBlank()) {
      report.accept(path, "missing field 'address': an ssh host needs the name or IP address to connect to");
    } else if (!ADDRESS.matcher(host.address()).matches()) {
      // It reaches ssh's command line and a known_hosts line on the hosts: only a name or an IP.
      report.accept(path + ".address", "'" + host.address() + "' is not a host name or IP address");
    }
    if (host.hostKey() != null && !HOST_KEY.matcher(host.hostKey()).matches()) {
      report.accept(path + ".hostKey", "'" + host.hostKey() + "' is not a SHA256 fingerprint; copy it from `ssh-keygen -lf KEY.pub` or `ssh-keyscan HOST | ssh-keygen -lf -`: SHA256: and 43 base64 characters");
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
      report.accept(path, "'" + name + "' is not a valid database name for a plan: use letters, digits, '.', '_' and '-'");
    }
    if (db.host() != null && !plan.hosts().containsKey(db.host())) {
      report.accept(path + ".host", "unknown host '" + db.host() + "'; " + knownHosts());
    }
    if (db.name() != null && !PG_NAME.matcher(db.name()).matches()) {
      report.accept(path + ".name", "'" + db.name() + "' is not a database name cutover accepts: letters, digits, '_', '$' and '-', at most 63");
    }
    if (db.user() != null && !PG_NAME.matcher(db.user()).matches()) {
      report.accept(path + ".user", "'" + db.user() + "' is not a role name cutover accepts: letters, digits, '_', '$' and '-', at most 63");
    }
    if (db.port() != null && (db.port() < 1 || db.port() > 65535)) {
      report.accept(path + ".port", "port " + db.port() + " is out of range 1-65535");
    }
    if (db.passwordSecret() != null && !plan.secrets().containsKey(db.passwordSecret())) {
      // The value is not repeated: an operator may have pasted the password itself here.
      report.accept(path + ".passwordSecret", "names no entry under secrets" + declaredSecrets()
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
    return plan.secrets().isEmpty() ? " (the plan declares none)" : " (declared: " + String.join(", ", new java.util.TreeSet<>(plan.secrets().keySet())) + ")";
  }

  private String knownHosts() {
    return plan.hosts().isEmpty() ? "this plan declares no hosts" : "hosts in this plan: " + String.join(", ", new java.util.TreeSet<>(plan.hosts().keySet()));
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
      boolean restoresTtls = phase == PhaseName.FINISH && phases.present().stream().flatMap(p -> phases.steps(p).stream()).anyMatch(s -> s.kind() == StepKind.DNS_TTL);
      if (steps.isEmpty() && phase != PhaseName.LOWER_TTL && !restoresTtls) {
        report.accept(base, "phase '" + phase.yamlName() + "' has no steps");
      }
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        String path = base + "[" + i + "]";
        if (step.name() == null) {
          report.accept(path + ".name", "missing required field 'name'");
        } else {
          if (step.name().equals(dev.cutover.preflight.Preflight.STEP)) {
            report.accept(path + ".name", "'" + step.name() + "' is the name of the checks cutover runs before the first step; choose another name");
          }
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
      if (phases.lowerTtl().oldTtl() == null && phases.lowerTtl().steps().stream().noneMatch(s -> s.kind() == StepKind.DNS_TTL)) {
        report.accept("phases.lower-ttl", "missing field 'oldTtl': without a dns-ttl step in this phase, cutover cannot know how long the old TTL was");
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

  /**
   * A pg-replicate step starts or finishes a replication by its phase; a finish needs a start before
   * it, and each action takes only its own fields.
   */
  private void checkReplications() {
    java.util.Set<String> started = new java.util.HashSet<>();
    for (PhaseName phase : plan.phases().present()) {
      List<Step> steps = plan.phases().steps(phase);
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        if (step.kind() != StepKind.PG_REPLICATE || step.from() == null || step.to() == null) {
          continue;
        }
        String path = "phases." + phase.yamlName() + ".steps[" + i + "]";
        String action = PgReplicateStep.action(step, phase);
        if (PgReplicateStep.START.equals(action)) {
          onlyFor(path, "finish", "copySequences", step.copySequences());
          onlyFor(path, "finish", "reverse", step.reverse());
          started.add(step.from() + " -> " + step.to());
        } else if (PgReplicateStep.FINISH.equals(action)) {
          onlyFor(path, "start", "copySchema", step.copySchema());
          onlyFor(path, "start", "tables", step.tables().isEmpty() ? null : step.tables());
          onlyFor(path, "start", "noOwner", step.noOwner());
          onlyFor(path, "start", "noPrivileges", step.noPrivileges());
          onlyFor(path, "start", "role", step.role());
          if (!started.remove(step.from() + " -> " + step.to())) {
            report.accept(path, "this pg-replicate step finishes a replication from " + step.from() + " to " + step.to()
                + (step.action() == null ? " (the default in phase " + phase.yamlName() + ")" : "")
                + ", but no pg-replicate step before it starts one; add a step with action: start (the default in prepare and presync)");
          }
          if (Boolean.TRUE.equals(step.reverse())) {
            started.add(step.to() + " -> " + step.from());
          }
        }
      }
    }
  }

  private void onlyFor(String path, String action, String field, Object value) {
    if (value != null) {
      report.accept(path + "." + field, "field '" + field + "' applies to a pg-replicate " + action + " step; this one "
          + (action.equals("start") ? "finishes" : "starts") + " a replication");
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
    checkHostRef(path + ".host", step.host());
    if (step.onDatabases()) {
      checkDatabaseRef(path + ".from", step.from());
      checkDatabaseRef(path + ".to", step.to());
      checkDatabaseRef(path + ".database", step.database());
    } else {
      checkHostRef(path + ".from", step.from());
      checkHostRef(path + ".to", step.to());
    }
    StepFields.checkApplicable(step, path, report);
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
            report.accept(path + ".secretEnv." + k, "names no entry under secrets" + declaredSecrets()
                + "; secretEnv maps a variable to a secret's name, and secrets maps the name to env:NAME or file:/path");
          }
        });
      }
      case WAIT -> {
        if (step.duration() == null) {
          report.accept(path, "missing field 'duration': a wait step needs how long to wait");
        } else {
          checkPositive(path + ".duration", step.duration());
        }
        notFor(step, path, "undo", step.undo() != null);
      }
      case RSYNC -> checkRsync(step, path);
      case SERVICE -> checkService(step, path);
      case CRON -> checkCron(step, path);
      case MAINTENANCE -> checkMaintenance(step, path);
      case PUT -> checkPut(step, path);
      case PG_COPY -> checkPgCopy(step, path);
      case PG_REPLICATE -> checkPgReplicate(step, path);
      case PG_VERIFY -> checkPgPair(step, path, "compare");
      case SQL -> checkSql(step, path);
      case PG_CONNECTIONS -> checkPgConnections(step, path);
      case DNS_TTL, DNS_SET -> traffic.checkDnsStep(step, path);
      case PROXY_SWITCH -> traffic.checkProxySwitch(step, path);
      case HTTP -> traffic.checkHttp(step, path);
      case TLS -> traffic.checkTls(step, path);
      case NOTIFY -> notifications.checkNotifyStep(step, path);
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

  private void checkDatabaseRef(String path, String name) {
    if (name != null && !plan.databases().containsKey(name)) {
      report.accept(path, "unknown database '" + name + "'; " + (plan.databases().isEmpty() ? "this plan declares no databases"
          : "databases in this plan: " + String.join(", ", new java.util.TreeSet<>(plan.databases().keySet()))));
    }
  }

  private void checkHostRef(String path, String name) {
    if (name != null && !plan.hosts().containsKey(name)) {
      report.accept(path, "unknown host '" + name + "'; " + knownHosts());
    }
  }

  private void require(Step step, String path, String field, Object value, String why) {
    if (value == null || (value instanceof String text && text.isBlank())) {
      report.accept(path, "missing field '" + field + "': a " + step.kind().yamlName() + " step needs " + why);
    }
  }

  private void checkAbsolute(String path, String value) {
    if (value != null && !value.startsWith("/")) {
      report.accept(path, "'" + value + "' must be an absolute path");
    }
  }

  /**
   * A file cutover writes, renames or removes (put's file, maintenance's flag file): an absolute
   * path that names one file, spelled the one way, so that its backup and undo act on that file.
   */
  private void checkFilePath(String path, String value) {
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      report.accept(path, "the path is empty; give the absolute path of the file, like /etc/app/app.conf");
    } else if (!value.startsWith("/")) {
      report.accept(path, "'" + value + "' must be an absolute path");
    } else if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      report.accept(path, "the path holds a control character (a line break?); a file path is one line of printable characters");
    } else if (value.endsWith("/") || value.endsWith("/.") || value.endsWith("/..")) {
      report.accept(path, "'" + value + "' names a directory; give the path of the file itself, like /etc/app/app.conf");
    } else if (value.contains("/../") || value.contains("/./") || value.contains("//")) {
      report.accept(path, "'" + value + "' has '.', '..' or empty parts; write the path plainly, like /etc/app/app.conf");
    }
  }

  private void checkRsync(Step step, String path) {
    require(step, path, "from", step.from(), "the host to copy from");
    require(step, path, "to", step.to(), "the host to copy to");
    require(step, path, "source", step.source(), "the directory to copy");
    require(step, path, "target", step.target(), "the directory to copy into");
    checkAbsolute(path + ".source", step.source());
    checkAbsolute(path + ".target", step.target());
    checkAbsolute(path + ".identity", step.identity());
    if (step.bwlimit() != null && step.bwlimit() < 1) {
      report.accept(path + ".bwlimit", "bwlimit is in KiB per second and must be at least 1");
    }
    if ("/".equals(step.target()) && Boolean.TRUE.equals(step.delete())) {
      report.accept(path + ".delete", "delete into / would remove everything not in the source; copy into a directory");
    }
    Host from = plan.hosts().get(step.from());
    Host to = plan.hosts().get(step.to());
    if (step.identity() != null && from != null && to != null && !from.usesSsh() && !to.usesSsh()) {
      report.accept(path + ".identity", "both hosts are local: rsync copies without ssh, so there is no key to name");
    }
  }

  private void checkService(Step step, String path) {
    require(step, path, "host", step.host(), "the host the service runs on");
    require(step, path, "action", step.action(), "what to do: " + String.join(", ", SERVICE_ACTIONS));
    if (step.action() != null && !SERVICE_ACTIONS.contains(step.action())) {
      report.accept(path + ".action", "'" + step.action() + "' is not a service action; use one of: " + String.join(", ", SERVICE_ACTIONS));
    }
    if (step.unit() == null && step.command() == null) {
      report.accept(path, "missing field 'unit': a service step needs the systemd unit, or a custom command (with check)");
    }
    if (step.unit() != null && step.command() != null) {
      report.accept(path + ".command", "give either unit (systemd) or command (custom), not both");
    }
    if (step.unit() != null && !UNIT.matcher(step.unit()).matches()) {
      report.accept(path + ".unit", "'" + step.unit() + "' is not a systemd unit name");
    }
    if (step.command() != null && step.check() == null) {
      report.accept(path + ".check", "missing field 'check': a custom service command needs a check command that exits 0 while the service runs, so the step can verify it");
    }
    if (step.unit() != null && step.check() != null) {
      report.accept(path + ".check", "field 'check' applies to custom commands; systemctl reports the unit's state itself");
    }
    checkPositive(path + ".settle", step.settle());
  }

  private void checkCron(Step step, String path) {
    require(step, path, "from", step.from(), "the host whose crontab moves");
    require(step, path, "to", step.to(), "the host it moves to");
    require(step, path, "user", step.user(), "the user whose crontab moves");
    if (step.user() != null && !USER.matcher(step.user()).matches()) {
      report.accept(path + ".user", "'" + step.user() + "' is not a user name");
    }
    if (step.from() != null && step.from().equals(step.to())) {
      report.accept(path + ".to", "from and to are the same host; a crontab moves between two hosts");
    }
  }

  private void checkMaintenance(Step step, String path) {
    require(step, path, "host", step.host(), "the host that shows the page");
    require(step, path, "action", step.action(), "on or off");
    if (step.action() != null && !MAINTENANCE_ACTIONS.contains(step.action())) {
      report.accept(path + ".action", "'" + step.action() + "' is not a maintenance action; use on or off");
    }
    boolean byFile = step.path() != null;
    boolean byCommand = step.onCommand() != null || step.offCommand() != null;
    if (byFile == byCommand) {
      report.accept(path, byFile ? "give either path (a flag file) or onCommand/offCommand, not both"
          : "missing field 'path': a maintenance step needs a flag file (path) or onCommand and offCommand");
    }
    if (byCommand && (step.onCommand() == null || step.offCommand() == null)) {
      report.accept(path, "a maintenance step by command needs both onCommand and offCommand: each is the other's undo");
    }
    if (byFile && step.check() != null) {
      report.accept(path + ".check", "field 'check' applies to onCommand/offCommand; with a flag file, its presence is the state");
    }
    checkFilePath(path + ".path", step.path());
  }

  private void checkPut(Step step, String path) {
    require(step, path, "host", step.host(), "the host to write on");
    require(step, path, "path", step.path(), "the file to write");
    if (step.path() != null && !step.path().isBlank()) {
      checkFilePath(path + ".path", step.path());
    }
    if ((step.content() == null) == (step.contentSecret() == null)) {
      report.accept(path, step.content() == null ? "missing field 'content': a put step needs content, or contentSecret naming a secret"
          : "give either content or contentSecret, not both");
    }
    if (step.contentSecret() != null && !plan.secrets().containsKey(step.contentSecret())) {
      report.accept(path + ".contentSecret", "names no entry under secrets" + declaredSecrets());
    }
    if (step.mode() != null && !MODE.matcher(step.mode()).matches()) {
      report.accept(path + ".mode", "'" + step.mode() + "' is not an octal mode like 0644 (quote it in YAML: mode: \"0644\")");
    }
    if (step.owner() != null && !OWNER.matcher(step.owner()).matches()) {
      report.accept(path + ".owner", "'" + step.owner() + "' is not user or user:group");
    }
  }

  private void checkPgPair(Step step, String path, String what) {
    require(step, path, "from", step.from(), "the database to " + what + " from");
    require(step, path, "to", step.to(), "the database to " + what + " to");
    if (step.from() != null && step.from().equals(step.to())) {
      report.accept(path + ".to", "from and to are the same database");
    }
    checkTables(path + ".tables", step.tables());
    checkTables(path + ".excludeTables", step.excludeTables());
  }

  private void checkTables(String path, List<String> tables) {
    for (int i = 0; i < tables.size(); i++) {
      if (!PG_TABLE.matcher(tables.get(i)).matches()) {
        report.accept(path + "[" + i + "]", "'" + tables.get(i) + "' is not schema.table (like public.orders)");
      }
    }
  }

  private void checkPgCopy(Step step, String path) {
    checkPgPair(step, path, "copy");
    if (step.jobs() != null && step.jobs() < 1) {
      report.accept(path + ".jobs", "jobs must be at least 1");
    }
    if (step.role() != null && !PG_NAME.matcher(step.role()).matches()) {
      report.accept(path + ".role", "'" + step.role() + "' is not a role name");
    }
    for (int i = 0; i < step.schemas().size(); i++) {
      if (!PG_NAME.matcher(step.schemas().get(i)).matches()) {
        report.accept(path + ".schemas[" + i + "]", "'" + step.schemas().get(i) + "' is not a schema name");
      }
    }
  }

  private void checkPgReplicate(Step step, String path) {
    checkPgPair(step, path, "replicate");
    if (step.action() != null && !PgReplicateStep.ACTIONS.contains(step.action())) {
      report.accept(path + ".action", "'" + step.action() + "' is not a pg-replicate action; use start or finish");
    }
    for (String[] field : new String[][] {{"publication", step.publication()}, {"subscription", step.subscription()}}) {
      if (field[1] != null && !PG_IDENTIFIER.matcher(field[1]).matches()) {
        report.accept(path + "." + field[0], "'" + field[1] + "' is not a valid name: lower case letters, digits and '_', at most 63");
      }
    }
    if (step.role() != null && !PG_NAME.matcher(step.role()).matches()) {
      report.accept(path + ".role", "'" + step.role() + "' is not a role name");
    }
    if (step.excludeTables().size() > 0) {
      report.accept(path + ".excludeTables", "a replication publishes the tables listed under tables (or all); it cannot leave some out");
    }
  }

  private void checkSql(Step step, String path) {
    require(step, path, "database", step.database(), "the database to query");
    require(step, path, "query", step.query(), "the query to run");
    if (step.expectRows() != null && step.expectRows() < 0) {
      report.accept(path + ".expectRows", "expectRows cannot be negative");
    }
  }

  private void checkPgConnections(Step step, String path) {
    require(step, path, "database", step.database(), "the database to watch");
    checkPositive(path + ".terminateAfter", step.terminateAfter());
    checkPositive(path + ".interval", step.interval());
    if (step.terminateAfter() != null && !Boolean.TRUE.equals(step.terminate())) {
      report.accept(path + ".terminateAfter", "terminateAfter needs terminate: true; without it the step waits for clients to leave");
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
    Duration initial = retry.initialInterval() != null ? retry.initialInterval() : RETRY_INITIAL_INTERVAL;
    Duration max = retry.maxInterval() != null ? retry.maxInterval() : RETRY_MAX_INTERVAL;
    if (positive(initial) && positive(max) && max.compareTo(initial) < 0) {
      // Temporal refuses to schedule an activity with this policy: the run would fail its workflow task over and over.
      if (retry.maxInterval() != null) {
        report.accept(path + ".maxInterval", "maxInterval " + DurationText.format(max) + " is shorter than initialInterval "
            + DurationText.format(initial) + (retry.initialInterval() == null ? " (the default)" : "") + "; Temporal refuses such a retry policy");
      } else {
        report.accept(path + ".initialInterval", "initialInterval " + DurationText.format(initial) + " is longer than the default maxInterval "
            + DurationText.format(max) + "; set maxInterval too (at least " + DurationText.format(initial) + ")");
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
