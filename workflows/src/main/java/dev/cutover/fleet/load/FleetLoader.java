package dev.cutover.fleet.load;

import dev.cutover.fleet.Fleet;
import dev.cutover.fleet.FleetInput;
import dev.cutover.fleet.FleetService;
import dev.cutover.fleet.FleetWave;
import dev.cutover.fleet.SharedGate;
import dev.cutover.plan.Gate;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.BoundYaml;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanFileText;
import dev.cutover.plan.load.PlanLimits;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.plan.load.PlanProblem;
import dev.cutover.plan.load.YamlRecords;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a fleet file, loads every member plan (a plan file, or a template filled with the service's
 * values) and returns a fleet the workflow can run, or every problem found, each at FILE:LINE:COL.
 */
public final class FleetLoader {
  /** Fleet and service names: workflow ids are made of them, as of a plan's migration name. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** Shared gates become gates of member plans, so their names follow the plan's rule. */
  static final Pattern GATE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** Names a message lists at most: enough to spot a typo, not 500 of them per problem. */
  private static final int MAX_LISTED = 20;

  /** Longer names get no "did you mean": no name worth suggesting is this long. */
  private static final int MAX_SUGGESTED_LENGTH = 100;

  /** "Did you mean"s in one load: more than a person reads in one go. */
  private static final int MAX_SUGGESTIONS = 100;

  /** "Did you mean"s a load still offers. */
  private int suggestionsLeft = MAX_SUGGESTIONS;

  private final Path fleetFile;
  private final BoundYaml<FleetFile> bound;
  private final FleetFile file;
  private final List<PlanProblem> problems = new ArrayList<>();

  /** Problems in member files, by the problem without the service, to name each service once. */
  private final Map<PlanProblem, List<String>> memberProblems = new LinkedHashMap<>();

  private final Set<String> badPaths;

  private FleetLoader(Path fleetFile, BoundYaml<FleetFile> bound) {
    this.fleetFile = fleetFile;
    this.bound = bound;
    this.file = bound.value();
    this.problems.addAll(bound.problems());
    this.badPaths = bound.problemPaths();
  }

  public static Fleet load(Path fleetFile) throws InvalidPlanException {
    String name = fleetFile.toString();
    try {
      String text = PlanFileText.read(fleetFile);
      BoundYaml<FleetFile> bound = YamlRecords.bind(name, text, FleetFile.class, "fleet");
      if (bound.value() == null) {
        throw new InvalidPlanException(bound.problems());
      }
      return new FleetLoader(fleetFile, bound).load();
    } catch (InvalidPlanException e) {
      throw new InvalidPlanException(e.problems().stream().map(p -> ofTheFleet(p, name)).toList());
    }
  }

  /** A problem of the fleet file as a whole reads "(fleet)" where a plan's reads "(plan)". */
  private static PlanProblem ofTheFleet(PlanProblem p, String fleetFile) {
    return p.path().isEmpty() && p.file().equals(fleetFile)
        ? new PlanProblem(p.file(), p.line(), p.column(), "(fleet)", p.message())
        : p;
  }

  private Fleet load() throws InvalidPlanException {
    List<FleetFileService> services = orEmpty(file.services());
    List<FleetFileWave> waves = orEmpty(file.waves());
    checkName("fleet", file.fleet(), "fleet");
    Integer concurrency = file.concurrency();
    if (concurrency != null && (concurrency < 1 || concurrency > FleetLimits.MAX_CONCURRENCY)) {
      report(
          "concurrency",
          "concurrency "
              + concurrency
              + " is out of range: at least 1, at most "
              + FleetLimits.MAX_CONCURRENCY);
    }
    if (file.services() != null && services.isEmpty()) {
      report("services", "a fleet needs at least one service");
    }
    if (services.size() > FleetLimits.MAX_SERVICES) {
      report(
          "services",
          services.size()
              + " services: a fleet may have at most "
              + FleetLimits.MAX_SERVICES
              + "; split it into fleets");
      throw done();
    }
    if (waves.size() > FleetLimits.MAX_WAVES) {
      report("waves", waves.size() + " waves: a fleet may have at most " + FleetLimits.MAX_WAVES);
      throw done();
    }
    // A list item the binder dropped (empty, or not a mapping) would shift every index after it,
    // and each problem below would point at the wrong entry.
    boolean servicesIntact = intact("services", services.size());
    boolean wavesIntact = intact("waves", waves.size());

    Map<String, Integer> serviceIndex = new HashMap<>();
    if (servicesIntact) {
      for (int i = 0; i < services.size(); i++) {
        FleetFileService s = services.get(i);
        String path = "services[" + i + "]";
        if (s.name() == null) {
          continue;
        }
        checkName(path + ".name", s.name(), "service");
        if (serviceIndex.putIfAbsent(s.name(), i) != null) {
          report(path + ".name", "duplicate service name '" + s.name() + "'");
        }
      }
    }
    Map<String, Integer> waveOf = new HashMap<>();
    if (wavesIntact) {
      checkWaves(waves, serviceIndex, waveOf);
    }
    if (servicesIntact && wavesIntact) {
      for (int i = 0; i < services.size(); i++) {
        String name = services.get(i).name();
        if (name != null && serviceIndex.get(name) == i && !waveOf.containsKey(name)) {
          report(
              "services[" + i + "].name",
              "service '" + name + "' is in no wave: add it to the services of one of the waves");
        }
      }
      checkDependencies(services, serviceIndex, waves, waveOf);
    }

    Map<String, Path> templatePaths = new HashMap<>();
    Map<String, TemplateText> templates = readTemplates(templatePaths);
    Map<String, Plan> plans = new LinkedHashMap<>();
    Map<String, String> sources = new HashMap<>();
    if (servicesIntact) {
      loadMembers(services, serviceIndex, templates, templatePaths, plans, sources);
    }
    if (servicesIntact && wavesIntact) {
      checkMigrationNames(services, serviceIndex, plans);
      checkSharedGates(waves, plans);
    }
    flushMemberProblems();
    if (!problems.isEmpty()) {
      throw done();
    }

    Map<String, List<Gate>> sharedGates = new HashMap<>();
    List<FleetWave> fleetWaves = new ArrayList<>();
    for (FleetFileWave w : waves) {
      List<SharedGate> gates = new ArrayList<>();
      for (FleetFileGate g : orEmpty(w.gates())) {
        gates.add(new SharedGate(g.name(), g.before(), g.description()));
        for (String member : w.services()) {
          sharedGates
              .computeIfAbsent(member, k -> new ArrayList<>())
              .add(new Gate(g.name(), g.before(), g.description(), null, null));
        }
      }
      fleetWaves.add(new FleetWave(w.name(), w.services(), gates));
    }
    List<FleetService> fleetServices = new ArrayList<>();
    for (FleetFileService s : services) {
      Plan plan = withGates(plans.get(s.name()), sharedGates.getOrDefault(s.name(), List.of()));
      fleetServices.add(
          new FleetService(
              s.name(),
              waves.get(waveOf.get(s.name())).name(),
              orEmpty(s.dependsOn()),
              plan,
              sources.get(s.name())));
    }
    Fleet fleet =
        new Fleet(
            file.fleet(),
            file.description(),
            concurrency == null ? Fleet.DEFAULT_CONCURRENCY : concurrency,
            file.onFailure(),
            fleetWaves,
            fleetServices);
    checkInputSize(fleet);
    return fleet;
  }

  private void checkWaves(
      List<FleetFileWave> waves, Map<String, Integer> serviceIndex, Map<String, Integer> waveOf) {
    if (file.waves() != null && waves.isEmpty()) {
      report("waves", "a fleet needs at least one wave");
    }
    Set<String> waveNames = new HashSet<>();
    for (int w = 0; w < waves.size(); w++) {
      FleetFileWave wave = waves.get(w);
      String path = "waves[" + w + "]";
      if (wave.name() != null) {
        checkName(path + ".name", wave.name(), "wave");
        if (!waveNames.add(wave.name())) {
          report(path + ".name", "duplicate wave name '" + wave.name() + "'");
        }
      }
      if (wave.services() == null) {
        continue;
      }
      if (wave.services().isEmpty() && !badPaths.contains(path + ".services")) {
        report(
            path + ".services",
            "wave '" + wave.name() + "' is empty: a wave moves at least one service");
      }
      if (!intact(path + ".services", wave.services().size())) {
        continue;
      }
      for (int j = 0; j < wave.services().size(); j++) {
        String member = wave.services().get(j);
        String memberPath = path + ".services[" + j + "]";
        if (!serviceIndex.containsKey(member)) {
          report(
              memberPath,
              "unknown service '"
                  + member
                  + "'"
                  + suggestion(member, serviceIndex.keySet())
                  + "; services: "
                  + listed(serviceIndex.keySet()));
          continue;
        }
        Integer earlier = waveOf.putIfAbsent(member, w);
        if (earlier != null) {
          report(
              memberPath,
              "service '"
                  + member
                  + "' is already in wave '"
                  + waves.get(earlier).name()
                  + "'"
                  + (earlier == w ? " (listed twice)" : "")
                  + ": a service is in exactly one wave");
        }
      }
    }
  }

  private void checkDependencies(
      List<FleetFileService> services,
      Map<String, Integer> serviceIndex,
      List<FleetFileWave> waves,
      Map<String, Integer> waveOf) {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    for (int i = 0; i < services.size(); i++) {
      FleetFileService s = services.get(i);
      if (s.name() == null || serviceIndex.get(s.name()) != i || s.dependsOn() == null) {
        continue;
      }
      if (!intact("services[" + i + "].dependsOn", s.dependsOn().size())) {
        continue;
      }
      List<String> known = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int j = 0; j < s.dependsOn().size(); j++) {
        String dep = s.dependsOn().get(j);
        String path = "services[" + i + "].dependsOn[" + j + "]";
        if (!serviceIndex.containsKey(dep)) {
          report(
              path,
              "unknown service '"
                  + dep
                  + "'"
                  + suggestion(dep, serviceIndex.keySet())
                  + "; services: "
                  + listed(serviceIndex.keySet()));
          continue;
        }
        if (!seen.add(dep)) {
          report(path, "'" + dep + "' is listed twice");
          continue;
        }
        if (dep.equals(s.name())) {
          report(
              path, "dependency cycle: " + dep + " -> " + dep + " (a service depends on itself)");
          continue;
        }
        known.add(dep);
        Integer mine = waveOf.get(s.name());
        Integer theirs = waveOf.get(dep);
        if (mine != null && theirs != null && theirs > mine) {
          report(
              path,
              "'"
                  + dep
                  + "' is in wave '"
                  + waves.get(theirs).name()
                  + "', after this service's wave '"
                  + waves.get(mine).name()
                  + "': a service can depend only on services of its own wave or an earlier one");
        }
      }
      edges.put(s.name(), known);
    }
    findCycles(edges, serviceIndex, services);
  }

  /** Reports each cycle once, at the dependsOn entry that closes it, naming the whole cycle. */
  private void findCycles(
      Map<String, List<String>> edges,
      Map<String, Integer> serviceIndex,
      List<FleetFileService> services) {
    Map<String, Integer> state = new HashMap<>(); // 1: on the path, 2: done
    for (String start : edges.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      // Iterative depth-first search: 500 services in a chain must not overflow the stack.
      List<String> path = new ArrayList<>();
      List<Integer> next = new ArrayList<>();
      path.add(start);
      next.add(0);
      state.put(start, 1);
      while (!path.isEmpty()) {
        int top = path.size() - 1;
        String node = path.get(top);
        List<String> deps = edges.getOrDefault(node, List.of());
        int k = next.get(top);
        if (k >= deps.size()) {
          state.put(node, 2);
          path.remove(top);
          next.remove(top);
          continue;
        }
        next.set(top, k + 1);
        String dep = deps.get(k);
        Integer s = state.get(dep);
        if (s == null) {
          state.put(dep, 1);
          path.add(dep);
          next.add(0);
        } else if (s == 1) {
          List<String> cycle = new ArrayList<>(path.subList(path.indexOf(dep), path.size()));
          cycle.add(dep);
          int i = serviceIndex.get(node);
          int j = services.get(i).dependsOn().indexOf(dep);
          report(
              "services[" + i + "].dependsOn[" + j + "]",
              "dependency cycle: " + String.join(" -> ", cycle));
        }
      }
    }
  }

  private Map<String, TemplateText> readTemplates(Map<String, Path> paths) {
    Map<String, TemplateText> templates = new HashMap<>();
    if (file.templates() == null) {
      return templates;
    }
    file.templates()
        .forEach(
            (name, relative) -> {
              String path = "templates." + name;
              Path resolved = resolve(path, relative);
              if (resolved == null) {
                return;
              }
              String text;
              try {
                text = PlanFileText.read(resolved);
              } catch (InvalidPlanException e) {
                reportMemberFileUnreadable(path, "template '" + name + "'", e);
                return;
              }
              TemplateText template = TemplateText.of(text);
              for (int[] at : template.broken()) {
                memberProblem(
                    new PlanProblem(
                        resolved.toString(),
                        at[0],
                        at[1],
                        "template",
                        "'${' opens no placeholder here: a placeholder is ${name} (lower case"
                            + " letters, digits, '_' and '-'); write $${ for a literal ${"),
                    null);
              }
              templates.put(name, template);
              paths.put(name, resolved);
            });
    return templates;
  }

  private void loadMembers(
      List<FleetFileService> services,
      Map<String, Integer> serviceIndex,
      Map<String, TemplateText> templates,
      Map<String, Path> templatePaths,
      Map<String, Plan> plans,
      Map<String, String> sources) {
    long text = 0;
    for (int i = 0; i < services.size(); i++) {
      FleetFileService s = services.get(i);
      String path = "services[" + i + "]";
      if (s.name() == null || serviceIndex.get(s.name()) != i) {
        continue;
      }
      if ((s.plan() == null) == (s.template() == null)) {
        report(
            path,
            s.plan() == null
                ? "service '" + s.name() + "' needs a plan or a template: write one of them"
                : "service '" + s.name() + "' has both a plan and a template: keep one");
        continue;
      }
      if (s.plan() != null) {
        if (s.values() != null) {
          report(path + ".values", "values fill a template; this service has a plan file");
        }
        Path planPath = resolve(path + ".plan", s.plan());
        if (planPath == null) {
          continue;
        }
        if (!Files.isRegularFile(planPath)) {
          report(path + ".plan", "cannot read the plan: no such file " + planPath);
          continue;
        }
        try {
          text += Files.size(planPath);
        } catch (java.io.IOException e) {
          // PlanLoader reports the unreadable file below
        }
        if (text > FleetLimits.MAX_MEMBER_TEXT_CHARS) {
          tooMuchText(path);
          return;
        }
        try {
          plans.put(s.name(), PlanLoader.load(planPath));
          sources.put(s.name(), s.plan());
        } catch (InvalidPlanException e) {
          e.problems().forEach(p -> memberProblem(p, s.name()));
        }
        continue;
      }
      TemplateText template = templates.get(s.template());
      boolean declared = file.templates() != null && file.templates().containsKey(s.template());
      if (!declared) {
        Set<String> names = file.templates() == null ? Set.of() : file.templates().keySet();
        report(
            path + ".template",
            "unknown template '"
                + s.template()
                + "'"
                + suggestion(s.template(), names)
                + (names.isEmpty()
                    ? "; the fleet has no templates"
                    : "; templates: " + listed(names)));
        continue;
      }
      if (template == null) {
        continue; // unreadable: reported at the template
      }
      Path templatePath = templatePaths.get(s.template());
      Map<String, String> values = new HashMap<>();
      boolean valuesOk = true;
      if (s.values() != null) {
        for (Map.Entry<String, String> v : s.values().entrySet()) {
          valuesOk &=
              checkValue(path + ".values." + v.getKey(), v.getKey(), v.getValue(), s, template);
          values.put(v.getKey(), v.getValue());
        }
      }
      values.put(TemplateText.SERVICE, s.name());
      Set<String> missing = new HashSet<>();
      for (TemplatePlaceholder p : template.placeholders()) {
        // At its first use only: the same missing value at every use says nothing more.
        if (!values.containsKey(p.name()) && missing.add(p.name())) {
          valuesOk = false;
          memberProblem(
              new PlanProblem(
                  templatePath.toString(),
                  p.line(),
                  p.column(),
                  "${" + p.name() + "}",
                  "no value for ${" + p.name() + "}: add " + p.name() + " to the service's values"),
              s.name());
        }
      }
      if (!valuesOk || !template.broken().isEmpty()) {
        continue;
      }
      FilledTemplate filled = template.fill(values);
      text += filled.text().length();
      if (text > FleetLimits.MAX_MEMBER_TEXT_CHARS) {
        tooMuchText(path);
        return;
      }
      try {
        plans.put(s.name(), PlanLoader.parse(templatePath.toString(), filled.text()));
        sources.put(
            s.name(), "template " + s.template() + " (" + file.templates().get(s.template()) + ")");
      } catch (InvalidPlanException e) {
        for (PlanProblem p : e.problems()) {
          memberProblem(
              new PlanProblem(
                  p.file(),
                  p.line(),
                  filled.templateColumn(p.line(), p.column()),
                  p.path(),
                  p.message()),
              s.name());
        }
      }
    }
  }

  /** A template value is inserted as it is: it must stay on its line and fill nothing itself. */
  private boolean checkValue(
      String path, String key, String value, FleetFileService s, TemplateText template) {
    if (badPaths.contains(path)) {
      return false;
    }
    if (key.equals(TemplateText.SERVICE)) {
      report(path, "${service} is the service's name, '" + s.name() + "'; it takes no value");
      return false;
    }
    boolean ok = true;
    if (!template.names().contains(key)) {
      report(
          path,
          "template '"
              + s.template()
              + "' has no ${"
              + key
              + "}"
              + suggestion(key, template.names())
              + (template.names().isEmpty()
                  ? "; it has no placeholders"
                  : "; its placeholders: " + listed(template.names())));
      ok = false;
    }
    if (value.length() > FleetLimits.MAX_VALUE_CHARS) {
      report(
          path,
          "the value is "
              + value.length()
              + " characters; a template value may be at most "
              + FleetLimits.MAX_VALUE_CHARS);
      ok = false;
    } else if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      report(path, "a template value is one line: it is inserted as it is, and lines are YAML's");
      ok = false;
    } else if (value.contains("${")) {
      report(path, "a template value cannot hold '${': values are inserted once, not filled again");
      ok = false;
    }
    return ok;
  }

  private void checkMigrationNames(
      List<FleetFileService> services, Map<String, Integer> serviceIndex, Map<String, Plan> plans) {
    Map<String, String> byMigration = new HashMap<>();
    for (int i = 0; i < services.size(); i++) {
      FleetFileService s = services.get(i);
      Plan plan = s.name() == null ? null : plans.get(s.name());
      if (plan == null || serviceIndex.get(s.name()) != i) {
        continue;
      }
      String other = byMigration.putIfAbsent(plan.migration(), s.name());
      if (other != null) {
        report(
            "services[" + i + "]." + (s.plan() != null ? "plan" : "template"),
            "service '"
                + s.name()
                + "' moves migration '"
                + plan.migration()
                + "', as service '"
                + other
                + "' does: both would run as workflow cutover-"
                + plan.migration()
                + "; give each plan its own migration name");
      }
    }
  }

  private void checkSharedGates(List<FleetFileWave> waves, Map<String, Plan> plans) {
    Map<String, String> gateNames = new HashMap<>();
    for (int w = 0; w < waves.size(); w++) {
      FleetFileWave wave = waves.get(w);
      List<FleetFileGate> gates = orEmpty(wave.gates());
      if (!intact("waves[" + w + "].gates", gates.size())) {
        continue;
      }
      for (int g = 0; g < gates.size(); g++) {
        FleetFileGate gate = gates.get(g);
        String path = "waves[" + w + "].gates[" + g + "]";
        if (gate.name() != null) {
          if (!GATE_NAME.matcher(gate.name()).matches()) {
            report(
                path + ".name",
                "'"
                    + gate.name()
                    + "' is not a valid gate name: use letters, digits, '.', '_' and '-'");
          } else if (gate.name().equals(Gate.BUDGET)) {
            report(
                path + ".name",
                "'"
                    + Gate.BUDGET
                    + "' is the gate cutover opens itself when the downtime budget is spent; choose another name");
          }
          String earlier = gateNames.putIfAbsent(gate.name(), wave.name());
          if (earlier != null) {
            report(
                path + ".name",
                "duplicate shared gate '"
                    + gate.name()
                    + "' (also in wave '"
                    + earlier
                    + "'): gate names are unique in the fleet");
          }
        }
        PhaseName phase = gate.before() == null ? null : PhaseName.fromYaml(gate.before());
        if (gate.before() != null && phase == null) {
          report(
              path + ".before",
              "'"
                  + gate.before()
                  + "' is not a phase; phases: "
                  + Arrays.stream(PhaseName.values())
                      .map(PhaseName::yamlName)
                      .collect(Collectors.joining(", ")));
        }
        for (String member : wave.services()) {
          Plan plan = plans.get(member);
          if (plan == null) {
            continue;
          }
          if (phase != null && !plan.phases().has(phase)) {
            report(
                path + ".before",
                "service '"
                    + member
                    + "' has no phase '"
                    + gate.before()
                    + "' (its phases: "
                    + plan.phases().present().stream()
                        .map(PhaseName::yamlName)
                        .collect(Collectors.joining(", "))
                    + "): a shared gate stands before a phase every member of the wave has");
          }
          if (gate.name() != null
              && plan.gates().stream().anyMatch(own -> own.name().equals(gate.name()))) {
            report(
                path + ".name",
                "service '"
                    + member
                    + "' has a gate '"
                    + gate.name()
                    + "' of its own: name the shared gate differently");
          }
        }
      }
    }
  }

  /** The fleet travels as one workflow input, which Temporal holds to its payload limit. */
  private void checkInputSize(Fleet fleet) throws InvalidPlanException {
    long size =
        DefaultDataConverter.STANDARD_INSTANCE
            .toPayloads(new FleetInput(fleet))
            .map(Payloads::getSerializedSize)
            .orElse(0);
    if (size > PlanLimits.MAX_INPUT_BYTES) {
      report(
          "services",
          "the fleet is too large for Temporal to hold: "
              + size
              + " bytes as the workflow's input (every member plan), at most "
              + PlanLimits.MAX_INPUT_BYTES
              + "; split it into fleets");
      throw done();
    }
  }

  private static Plan withGates(Plan plan, List<Gate> shared) {
    if (shared.isEmpty()) {
      return plan;
    }
    List<Gate> gates = new ArrayList<>(plan.gates());
    gates.addAll(shared);
    return new Plan(
        plan.migration(),
        plan.description(),
        plan.hosts(),
        plan.databases(),
        plan.dns(),
        plan.secrets(),
        plan.window(),
        gates,
        plan.approvers(),
        plan.phases(),
        plan.notifications());
  }

  /** A path of the fleet file, relative to the fleet file's directory. */
  private Path resolve(String fieldPath, String relative) {
    try {
      Path base = fleetFile.getParent();
      return (base == null ? Path.of(relative) : base.resolve(relative)).normalize();
    } catch (InvalidPathException e) {
      report(fieldPath, "'" + relative + "' is not a file path: " + e.getReason());
      return null;
    }
  }

  private void reportMemberFileUnreadable(String path, String what, InvalidPlanException e) {
    PlanProblem first = e.problems().get(0);
    report(path, "cannot read " + what + " (" + first.file() + "): " + first.message());
  }

  private void tooMuchText(String path) {
    report(
        path,
        "the member plans are too large together: more than "
            + FleetLimits.MAX_MEMBER_TEXT_CHARS
            + " characters of YAML (templates count once per service); split the fleet");
  }

  private void checkName(String path, String name, String what) {
    if (name != null && !NAME.matcher(name).matches()) {
      report(
          path,
          "'"
              + name
              + "' is not a valid "
              + what
              + " name: use lower case letters, digits and hyphens, at most 63");
    }
  }

  /**
   * Whether every item of the list at this path was bound: the binder drops an empty item or one of
   * the wrong shape, after which indices no longer match the file's.
   */
  private boolean intact(String path, int bound) {
    int written = 0;
    while (this.bound.has(path + "[" + written + "]")) {
      written++;
    }
    if (written == bound) {
      return true;
    }
    if (badPaths.stream().noneMatch(p -> p.startsWith(path + "["))) {
      report(path, "an entry of this list is empty: fill it in or remove it");
    }
    return false;
  }

  private void report(String path, String message) {
    problems.add(bound.problem(path, message));
  }

  private void memberProblem(PlanProblem problem, String service) {
    List<String> names = memberProblems.computeIfAbsent(problem, k -> new ArrayList<>());
    if (service != null) {
      names.add(service);
    }
  }

  private void flushMemberProblems() {
    memberProblems.forEach(
        (p, names) ->
            problems.add(
                new PlanProblem(
                    p.file(),
                    p.line(),
                    p.column(),
                    p.path(),
                    names.isEmpty()
                        ? p.message()
                        : p.message()
                            + " ("
                            + (names.size() == 1 ? "service " : "services ")
                            + String.join(", ", names)
                            + ")")));
    memberProblems.clear();
  }

  private InvalidPlanException done() {
    flushMemberProblems();
    String own = bound.file();
    List<PlanProblem> sorted = new ArrayList<>(problems);
    // The fleet file's own problems first, in file order; then each member file's, as found.
    sorted.sort(
        Comparator.comparingInt((PlanProblem p) -> p.file().equals(own) ? 0 : 1)
            .thenComparingInt(p -> p.file().equals(own) ? p.line() : 0)
            .thenComparingInt(p -> p.file().equals(own) ? p.column() : 0));
    return new InvalidPlanException(sorted);
  }

  /** Known names for a message, sorted; a long list is cut, each message is one line to read. */
  private static String listed(Set<String> names) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(names));
    if (sorted.size() <= MAX_LISTED) {
      return String.join(", ", sorted);
    }
    return String.join(", ", sorted.subList(0, MAX_LISTED))
        + ", ... ("
        + sorted.size()
        + " in all)";
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** A "did you mean" for a name one or two typos away from a known one. */
  private String suggestion(String name, Set<String> known) {
    // Measuring a name of megabytes, or a million unknown names, against 500 others would keep the
    // loader busy for minutes; past the first ones a person reads, no suggestion.
    if (name == null || name.length() > MAX_SUGGESTED_LENGTH || suggestionsLeft-- <= 0) {
      return "";
    }
    for (String k : new TreeSet<>(known)) {
      if (Math.abs(k.length() - name.length()) > 2) {
        continue;
      }
      int d = distance(name, k);
      // Two typos in a two-letter name is another name, not a typo.
      if (d <= 2 && d < Math.min(name.length(), k.length())) {
        return " (did you mean '" + k + "'?)";
      }
    }
    return "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
