package dev.cutover.plan.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.plan.Doc;
import dev.cutover.plan.Plan;
import dev.cutover.plan.StepKind;
import dev.cutover.plan.StepSpecTable;
import dev.cutover.plan.YamlName;
import dev.cutover.plan.load.DurationText;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps docs/plan.schema.json, docs/plan.md and examples/ in step with the plan model. */
class PlanSchemaTest {
  /** Tests run in the module directory; the repository root is its parent. */
  private static final Path ROOT = Path.of("..");

  private static final Path SCHEMA = ROOT.resolve("docs").resolve("plan.schema.json");
  private static final Path PLAN_DOC = ROOT.resolve("docs").resolve("plan.md");
  private static final Path EXAMPLES = ROOT.resolve("examples");

  private static final String REGENERATE =
      "docs/plan.schema.json is not what the plan model generates. Regenerate it from the repository root:\n"
          + "  ./mvnw -q -o -pl workflows compile\n"
          + "  ./mvnw -q -pl workflows dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt\n"
          + "  java -cp workflows/target/classes:$(cat /tmp/cp.txt) dev.cutover.plan.schema.PlanSchema docs/plan.schema.json\n"
          + "and commit the result (and describe any new field in docs/plan.md).";

  @Test
  void committedSchemaIsWhatTheModelGenerates() throws IOException {
    if (!Files.exists(SCHEMA)) {
      fail(SCHEMA.toAbsolutePath().normalize() + " is missing.\n" + REGENERATE);
    }
    String committed = Files.readString(SCHEMA, StandardCharsets.UTF_8);
    String generated = PlanSchema.render();
    if (!committed.equals(generated)) {
      fail(REGENERATE + "\n\nFirst difference: " + firstDifference(committed, generated));
    }
  }

  @Test
  void schemaIsDeterministicAndEndsWithANewline() {
    String a = PlanSchema.render();
    assertThat(PlanSchema.render()).isEqualTo(a);
    assertThat(a).endsWith("}\n").doesNotContain("\r");
  }

  @Test
  void schemaFollowsTheLoadersRules() {
    JsonNode root = PlanSchema.generate();
    assertThat(root.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(root.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(names(root.path("required"))).containsExactly("migration", "hosts", "phases");

    JsonNode defs = root.path("$defs");
    JsonNode step = defs.path("Step");
    assertThat(step.path("properties").path("undo").path("$ref").asText())
        .isEqualTo("#/$defs/Step");
    assertThat(names(step.path("required"))).containsExactly("kind");
    assertThat(defs.path("Phases").path("properties").has("lower-ttl")).isTrue();
    assertThat(defs.path("Phases").path("properties").has("switch")).isTrue();
    assertThat(defs.path("MonitorPhase").path("properties").has("for")).isTrue();
    assertThat(defs.path("DateTime").path("format").asText()).isEqualTo("date-time");
    assertThat(
            root.path("properties")
                .path("hosts")
                .path("additionalProperties")
                .path("$ref")
                .asText())
        .isEqualTo("#/$defs/Host");

    List<String> kinds = new ArrayList<>();
    defs.path("StepKind").path("oneOf").forEach(o -> kinds.add(o.path("const").asText()));
    List<String> available = new ArrayList<>();
    for (StepKind k : StepKind.values()) {
      available.add(k.yamlName());
    }
    assertThat(kinds).isEqualTo(available);

    defs.fields()
        .forEachRemaining(
            e -> {
              if ("object".equals(e.getValue().path("type").asText())) {
                // A step's fields depend on its kind: keys no branch evaluated are refused instead.
                String closing =
                    e.getKey().equals("Step") ? "unevaluatedProperties" : "additionalProperties";
                assertThat(e.getValue().path(closing).asBoolean(true))
                    .as("$defs/%s allows unknown keys", e.getKey())
                    .isFalse();
              }
            });
  }

  @Test
  void everyPartOfThePlanModelHasADoc() {
    List<String> missing = new ArrayList<>();
    for (Class<?> type : modelTypes()) {
      if (type.isRecord()) {
        if (!type.isAnnotationPresent(Doc.class)) {
          missing.add("record " + type.getSimpleName());
        }
        for (RecordComponent c : type.getRecordComponents()) {
          if (c.isAnnotationPresent(dev.cutover.plan.Derived.class)) {
            continue;
          }
          if (!c.isAnnotationPresent(Doc.class)) {
            missing.add(type.getSimpleName() + "." + c.getName());
          }
        }
      } else if (type.isEnum()) {
        for (Object constant : type.getEnumConstants()) {
          String name = ((Enum<?>) constant).name();
          if (!field(type, name).isAnnotationPresent(Doc.class)) {
            missing.add(type.getSimpleName() + "." + name);
          }
        }
      }
    }
    assertThat(missing)
        .as("plan model parts without @Doc (the schema and docs/plan.md need one line each)")
        .isEmpty();
  }

  @Test
  void everyExamplePlanLoadsWithoutProblems() throws IOException {
    List<Path> plans;
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      plans =
          files
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    assertThat(plans)
        .as("example plans under %s", EXAMPLES.toAbsolutePath().normalize())
        .isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (Path plan : plans) {
      try {
        PlanLoader.load(plan);
      } catch (InvalidPlanException e) {
        problems.add(e.getMessage());
      }
    }
    assertThat(problems).as("problems in example plans").isEmpty();
  }

  @Test
  void theExampleAtTheTopOfPlanMdLoads() throws IOException {
    String doc = Files.readString(PLAN_DOC, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(m.find()).as("a ```yaml block in docs/plan.md").isTrue();
    try {
      Plan plan = PlanLoader.parse("docs/plan.md", m.group(1));
      assertThat(plan.phases().present()).hasSizeGreaterThan(5);
    } catch (InvalidPlanException e) {
      fail("the example in docs/plan.md does not load:\n" + e.getMessage());
    }
  }

  @Test
  void planMdHasAReferenceRowForEveryFieldAndValue() throws IOException {
    String doc = Files.readString(PLAN_DOC, StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (Class<?> type : modelTypes()) {
      String section = section(doc, type.getSimpleName());
      if (section == null) {
        missing.add("section ### " + type.getSimpleName());
        continue;
      }
      if (type.isRecord()) {
        for (RecordComponent c : type.getRecordComponents()) {
          if (c.isAnnotationPresent(dev.cutover.plan.Derived.class)) {
            continue;
          }
          if (!section.contains("| `" + yamlName(c) + "` |")) {
            missing.add(type.getSimpleName() + ": row for `" + yamlName(c) + "`");
          }
        }
      } else if (type.isEnum()) {
        for (Object constant : type.getEnumConstants()) {
          String value = dev.cutover.plan.load.YamlNames.ofConstant((Enum<?>) constant);
          if (!section.contains("| `" + value + "` |")) {
            missing.add(type.getSimpleName() + ": row for `" + value + "`");
          }
        }
      }
    }
    assertThat(missing).as("docs/plan.md reference rows missing").isEmpty();
    for (StepKind kind : StepKind.values()) {
      assertThat(doc).contains("## Step kind: " + kind.yamlName() + "\n");
    }
  }

  @Test
  void eachKindsBranchListsExactlyItsSpecsFieldsWithTheirDocs() {
    JsonNode branches = PlanSchema.generate().path("$defs").path("Step").path("allOf");
    assertThat(branches).hasSize(StepKind.values().length);
    for (JsonNode branch : branches) {
      StepKind kind =
          kindNamed(branch.path("if").path("properties").path("kind").path("const").asText());
      Class<?> spec = StepSpecTable.get().specOf(kind);
      List<String> fields = new ArrayList<>();
      branch.path("then").path("properties").fieldNames().forEachRemaining(fields::add);
      assertThat(fields)
          .as("fields of %s", kind)
          .containsExactlyElementsOf(
              Stream.of(spec.getRecordComponents()).map(RecordComponent::getName).toList());
      for (RecordComponent c : spec.getRecordComponents()) {
        assertThat(
                branch
                    .path("then")
                    .path("properties")
                    .path(c.getName())
                    .path("description")
                    .asText())
            .as("%s.%s", spec.getSimpleName(), c.getName())
            .isEqualTo(c.getAnnotation(Doc.class).value());
      }
    }
  }

  @Test
  void everySpecFieldHasADocAndARowInItsKindsSectionOfPlanMd() throws IOException {
    String doc = Files.readString(PLAN_DOC, StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (StepKind kind : StepKind.values()) {
      Class<?> spec = StepSpecTable.get().specOf(kind);
      String heading = "## Step kind: " + kind.yamlName() + "\n";
      int start = doc.indexOf(heading);
      if (start < 0) {
        missing.add("section " + heading.strip());
        continue;
      }
      int end = doc.indexOf("\n## ", start + heading.length());
      String section = doc.substring(start, end < 0 ? doc.length() : end);
      for (RecordComponent c : spec.getRecordComponents()) {
        if (!c.isAnnotationPresent(Doc.class)) {
          missing.add(spec.getSimpleName() + "." + c.getName() + ": @Doc");
        }
        if (!fieldRows(section).contains(c.getName())) {
          missing.add(kind.yamlName() + ": row for `" + c.getName() + "`");
        }
      }
    }
    assertThat(missing)
        .as("spec fields without a doc or a row in their kind's section of docs/plan.md")
        .isEmpty();
  }

  /** The fields a section's tables name in their first column: | `a` | or | `a`, `b` |. */
  private static Set<String> fieldRows(String section) {
    Set<String> fields = new LinkedHashSet<>();
    for (String line : section.split("\n")) {
      if (line.startsWith("| `")) {
        Matcher m =
            Pattern.compile("`([A-Za-z]+)`").matcher(line.substring(0, line.indexOf('|', 1)));
        while (m.find()) {
          fields.add(m.group(1));
        }
      }
    }
    return fields;
  }

  private static StepKind kindNamed(String yamlName) {
    return Stream.of(StepKind.values())
        .filter(k -> k.yamlName().equals(yamlName))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void durationPatternAcceptsExactlyWhatDurationTextParses() {
    Pattern pattern = Pattern.compile(PlanSchema.DURATION_PATTERN);
    List<String> samples =
        List.of(
            "30s",
            "15m",
            "2h",
            "1d",
            "1w",
            "500ms",
            "1h30m",
            "2d12h",
            "1m1ms",
            "30m1h",
            " 15m ",
            "0s",
            "PT15M",
            "pt15m",
            "P1D",
            "P1DT2H",
            "PT1H30M",
            "PT0.5S",
            "PT1,5S",
            "P-1D",
            "PT-5M",
            "P2DT3H4M5.123S",
            "",
            " ",
            "30",
            "1.5h",
            "15 m",
            "15M",
            "1y",
            "m",
            "-15m",
            "+15m",
            "P",
            "PT",
            "P1DT",
            "P1M",
            "P1W",
            "P1H",
            "PT1D",
            "PT1M1H",
            "1h 30m",
            "15min",
            "PT.5S",
            "-PT1H",
            "P1DT1H1M1S");
    List<String> disagreements = new ArrayList<>();
    for (String s : samples) {
      boolean parses = DurationText.parse(s) != null;
      boolean matches = pattern.matcher(s).find();
      if (parses != matches) {
        disagreements.add(
            "'"
                + s
                + "': DurationText "
                + (parses ? "parses" : "refuses")
                + ", schema "
                + (matches ? "accepts" : "refuses"));
      }
    }
    assertThat(disagreements).isEmpty();
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Every record and enum reachable from Plan, in a stable order. */
  private static Set<Class<?>> modelTypes() {
    Set<Class<?>> seen = new LinkedHashSet<>();
    collect(Plan.class, seen);
    return seen;
  }

  private static void collect(Type type, Set<Class<?>> seen) {
    if (type instanceof ParameterizedType p) {
      for (Type arg : p.getActualTypeArguments()) {
        collect(arg, seen);
      }
      return;
    }
    if (!(type instanceof Class<?> c) || !(c.isRecord() || c.isEnum()) || !seen.add(c)) {
      return;
    }
    if (c.isRecord()) {
      for (RecordComponent component : c.getRecordComponents()) {
        collect(component.getGenericType(), seen);
      }
    }
  }

  private static java.lang.reflect.Field field(Class<?> type, String name) {
    try {
      return type.getField(name);
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String yamlName(RecordComponent c) {
    YamlName n = c.getAnnotation(YamlName.class);
    return n == null ? c.getName() : n.value();
  }

  /** The text under {@code ### TITLE} up to the next heading of level 2 or 3, or null. */
  private static String section(String doc, String title) {
    String heading = "\n### " + title + "\n";
    int start = doc.indexOf(heading);
    if (start < 0) {
      return null;
    }
    int from = start + heading.length();
    int end = doc.length();
    for (String next : List.of("\n### ", "\n## ")) {
      int i = doc.indexOf(next, from);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return doc.substring(from, end);
  }

  private static List<String> names(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }

  private static String firstDifference(String a, String b) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String l = i < x.length ? x[i] : "<end of file>";
      String r = i < y.length ? y[i] : "<end of file>";
      if (!l.equals(r)) {
        return "line " + (i + 1) + "\n  committed: " + l + "\n  generated: " + r;
      }
    }
    return "(line endings)";
  }
}
