package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.notify.NotifyErrors;
import dev.cutover.steps.postgres.PostgresActivities;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The error types the code raises are the ones docs/plan.md names: every type in the code has a row
 * in the "Error types" table, every type a table of the docs names is one the code raises, and
 * "Retried" says what {@link CutoverErrors#NON_RETRYABLE} says.
 */
class ErrorTypesDocumentedTest {
  private static final Path ROOT = Path.of("..");

  /** A row of an error table: {@code | `Type` | yes |}. */
  private static final Pattern ROW =
      Pattern.compile("(?m)^\\| `([A-Z][A-Za-z]+)` \\| (yes|no) \\|");

  /** Where the code keeps its failure types, as constants. */
  private static final Set<Class<?>> ERROR_CLASSES =
      Set.of(
          CutoverErrors.class,
          NotifyErrors.class,
          PostgresActivities.class,
          dev.cutover.steps.pgswitch.SwitchErrors.class);

  @Test
  void everyTypeInTheCodeIsDocumentedAndEveryDocumentedTypeIsInTheCode() throws IOException {
    // given the types the code raises, and the tables of the docs
    Set<String> inCode = typesInCode();
    String planMd = Files.readString(ROOT.resolve("docs/plan.md"));
    String section =
        planMd.substring(planMd.indexOf("\n## Error types\n"), planMd.indexOf("\n## Reference\n"));
    Map<String, Boolean> listed = rows(section);
    Set<String> namedAnywhere = new TreeSet<>();
    for (Path doc :
        new Path[] {
          ROOT.resolve("docs/plan.md"), ROOT.resolve("README.md"), ROOT.resolve("docs/report.md")
        }) {
      namedAnywhere.addAll(rows(Files.readString(doc)).keySet());
    }

    // then the full table lists exactly the code's types, and no other table names a type the code
    // lacks
    assertThat(new TreeSet<>(listed.keySet()))
        .as("the Error types table of docs/plan.md")
        .isEqualTo(new TreeSet<>(inCode));
    assertThat(namedAnywhere).as("error types named in the docs' tables").isSubsetOf(inCode);
  }

  @Test
  void retriedSaysWhatTheCodeDoes() throws IOException {
    String planMd = Files.readString(ROOT.resolve("docs/plan.md"));
    Map<String, Boolean> everyRow = rows(planMd);

    everyRow.forEach(
        (type, retried) ->
            assertThat(retried)
                .as(type + ": retried in docs/plan.md")
                .isEqualTo(
                    !CutoverErrors.NON_RETRYABLE.contains(type)
                        && !type.equals(CutoverErrors.ABORTED)));
  }

  private static Map<String, Boolean> rows(String markdown) {
    Map<String, Boolean> rows = new LinkedHashMap<>();
    Matcher m = ROW.matcher(markdown);
    while (m.find()) {
      rows.put(m.group(1), m.group(2).equals("yes"));
    }
    return rows;
  }

  private static Set<String> typesInCode() {
    Set<String> types = new HashSet<>();
    for (Class<?> c : ERROR_CLASSES) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && f.getType() == String.class
            && Modifier.isPublic(f.getModifiers())) {
          try {
            types.add((String) f.get(null));
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    return types;
  }
}
