package dev.cutover.plan.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed plan under {@code plans/malformed/} must be refused with exactly the problem
 * lines in its sibling {@code .expected} file, in that order. The lines are what an operator reads
 * in the terminal and what an editor uses to jump to the mistake, so they are compared whole.
 *
 * <p>An {@code .expected} file holds one formatted problem per line; lines starting with {@code #}
 * are comments and blank lines are ignored. The plan is parsed under its bare file name, so the
 * expectations do not depend on where the build runs.
 */
class MalformedPlanTest {
  private static final Path MALFORMED = resourceDir("/plans/malformed");

  /**
   * Operators see messages, not our classes: a type name in a message means an internal leaked out.
   */
  private static final Set<String> JAVA_TYPE_NAMES = javaTypeNames();

  private static final Pattern QUALIFIED_CLASS_NAME =
      Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*");

  static Stream<String> malformedPlans() {
    return yamlFilesIn(MALFORMED).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedPlans")
  void reportsExactlyTheExpectedProblemsInFileOrder(String fileName) {
    // given
    MalformedCase malformed = MalformedCase.read(MALFORMED, fileName);

    // when
    List<PlanProblem> problems = malformed.load();

    // then
    assertThat(formatted(problems)).containsExactlyElementsOf(malformed.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedPlans")
  void everyProblemPointsIntoTheFileAndSpeaksTheOperatorsLanguage(String fileName) {
    // given
    MalformedCase malformed = MalformedCase.read(MALFORMED, fileName);

    // when
    List<PlanProblem> problems = malformed.load();

    // then
    List<String> lines = malformed.text().lines().toList();
    assertThat(problems).isNotEmpty();
    for (PlanProblem problem : problems) {
      // An editor jumps to line:column; a place outside the file is a place nobody can look at.
      assertThat(problem.line()).as("line of %s", problem).isBetween(1, Math.max(1, lines.size()));
      int lineLength = lines.isEmpty() ? 0 : lines.get(problem.line() - 1).length();
      assertThat(problem.column()).as("column of %s", problem).isBetween(1, lineLength + 1);
      assertThat(problem.file()).isEqualTo(fileName);
      assertSpeaksTheOperatorsLanguage(problem.message());
    }
  }

  @Test
  void theCatalogueCoversEnoughMistakesAndEveryPlanSaysWhatToExpect() throws IOException {
    // given
    List<String> plans = yamlFilesIn(MALFORMED);

    // then
    assertThat(plans).hasSizeGreaterThanOrEqualTo(30);
    for (String plan : plans) {
      Path dir = MALFORMED;
      assertThat(dir.resolve(expectedName(plan))).as("expectations of %s", plan).isRegularFile();
      assertThat(MalformedCase.read(dir, plan).expected())
          .as("expectations of %s", plan)
          .isNotEmpty();
    }
    // An .expected file without its plan would be a case that silently stopped running.
    try (Stream<Path> files = Files.list(MALFORMED)) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".expected"))
          .map(f -> f.resolveSibling(f.getFileName().toString().replace(".expected", ".yaml")))
          .forEach(plan -> assertThat(plan).isRegularFile());
    }
  }

  @Test
  void aSecretWrittenAsAValueIsNotRepeatedInTheProblem() {
    // given: a plan where someone pasted the password itself instead of naming where it lives
    String text =
        """
        migration: shop-move
        hosts:
          old:
            address: old.example.net
        secrets:
          db-password: Tr0ub4dor&3
        phases:
          prepare:
            steps:
              - name: settle
                kind: wait
                duration: 1m
        """;

    // when
    List<PlanProblem> problems = MalformedCase.of("pasted-secret.yaml", text).load();

    // then: the problem reaches terminals and CI logs, where the password must not follow it
    assertThat(formatted(problems))
        .containsExactly(
            "pasted-secret.yaml:6:3: secrets.db-password:"
                + " a secret is a reference, env:NAME or file:/absolute/path, not a value")
        .noneMatch(line -> line.contains("Tr0ub4dor"));
  }

  @Test
  void aSecretPastedIntoSecretEnvIsNotRepeatedInTheProblem() {
    // given
    String text =
        """
        migration: shop-move
        hosts:
          old:
            address: old.example.net
        secrets:
          db-password: env:SHOP_DB_PASSWORD
        phases:
          prepare:
            steps:
              - name: check-db
                kind: run
                host: old
                command: psql -c 'select 1'
                secretEnv:
                  PGPASSWORD: Tr0ub4dor&3
        """;

    // when
    List<PlanProblem> problems = MalformedCase.of("pasted-secret-env.yaml", text).load();

    // then: still refused at the right field, but without the password in terminals and CI logs
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> assertThat(p.path()).isEqualTo("phases.prepare.steps[0].secretEnv.PGPASSWORD"))
        .satisfies(p -> assertThat(p.line()).isEqualTo(15))
        .satisfies(p -> assertThat(p.message()).doesNotContain("Tr0ub4dor"));
  }

  @Test
  void anUnknownStepKindNamesTheKindsThatExist() {
    // given: an operator guessing a kind name
    MalformedCase malformed = MalformedCase.read(MALFORMED, "unknown-kind.yaml");

    // when
    List<PlanProblem> problems = malformed.load();

    // then
    assertThat(formatted(problems))
        .contains(
            "unknown-kind.yaml:9:15: phases.prepare.steps[0].kind: unknown value 'shell';"
                + " expected one of: run, wait, rsync, pg-copy, pg-replicate, pg-verify, sql, pg-connections,"
                + " http, tls, dns-ttl, dns-set, proxy-switch, service, cron, maintenance, put, notify, pg-database, dns-wait, reboot, pg-switch, parallel");
  }

  private static void assertReportsExpectedProblems(Path dir, String fileName) {
    MalformedCase malformed = MalformedCase.read(dir, fileName);
    List<PlanProblem> problems = malformed.load();
    assertThat(formatted(problems)).containsExactlyElementsOf(malformed.expected());
    problems.forEach(p -> assertSpeaksTheOperatorsLanguage(p.message()));
  }

  private static void assertSpeaksTheOperatorsLanguage(String message) {
    assertThat(message).isNotBlank().doesNotContain("Exception").doesNotContain("Throwable");
    assertThat(message).doesNotContainPattern(QUALIFIED_CLASS_NAME);
    // "null" is how a missing Java value prints; an operator never wrote it in these plans.
    assertThat(message).doesNotContainPattern("\\bnull\\b");
    for (String name : JAVA_TYPE_NAMES) {
      assertThat(message)
          .as("message names the Java type %s", name)
          .doesNotContainPattern("\\b" + name + "\\b");
    }
  }

  private static List<String> formatted(List<PlanProblem> problems) {
    return problems.stream().map(PlanProblem::format).toList();
  }

  private record MalformedCase(String fileName, String text, List<String> expected) {
    static MalformedCase read(Path dir, String fileName) {
      try {
        String text = Files.readString(dir.resolve(fileName), StandardCharsets.UTF_8);
        List<String> expected =
            Files.readAllLines(dir.resolve(expectedName(fileName)), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList();
        return new MalformedCase(fileName, text, expected);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static MalformedCase of(String fileName, String text) {
      return new MalformedCase(fileName, text, List.of());
    }

    List<PlanProblem> load() {
      try {
        Plan plan = PlanLoader.parse(fileName, text);
        throw new AssertionError(fileName + " is malformed but loaded as " + plan);
      } catch (InvalidPlanException e) {
        return e.problems();
      }
    }
  }

  private static String expectedName(String yamlName) {
    return yamlName.replaceFirst("\\.yaml$", ".expected");
  }

  private static List<String> yamlFilesIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path resourceDir(String name) {
    try {
      return Path.of(MalformedPlanTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The simple names of the plan model's types and of the Java types they are built from. */
  private static Set<String> javaTypeNames() {
    Set<String> names =
        new TreeSet<>(
            Set.of(
                "String",
                "Integer",
                "Long",
                "Double",
                "Boolean",
                "Object",
                "Duration",
                "Instant",
                "OffsetDateTime",
                "List",
                "Map"));
    collectModelTypes(Plan.class, names);
    return names;
  }

  private static void collectModelTypes(Type type, Set<String> names) {
    if (type instanceof ParameterizedType p) {
      for (Type argument : p.getActualTypeArguments()) {
        collectModelTypes(argument, names);
      }
      return;
    }
    if (!(type instanceof Class<?> c) || !c.getPackageName().equals(Plan.class.getPackageName())) {
      return;
    }
    if (names.add(c.getSimpleName()) && c.isRecord()) {
      for (RecordComponent component : c.getRecordComponents()) {
        collectModelTypes(component.getGenericType(), names);
      }
    }
  }
}
