package dev.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Inside workflows/ the packages depend one way: the approval check, the plan model, then the step
 * contracts and units, then the engine (workflow, preflight). A reference back up (by import or by
 * full name in code) fails here, naming the file and line.
 */
class PackageDirectionTest {
  private static final Path SOURCES = Path.of("src/main/java");

  /** A package name used in code: an import, or a qualified name in an expression. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.cutover\\.([a-z]+)(?:\\.[a-z]+)*\\.[A-Z]");

  @Test
  void thePlanLayerReferencesNoStepEngineOrPreflightCode() throws IOException {
    assertThat(references("dev/cutover/plan", List.of("steps", "workflow", "preflight"))).isEmpty();
  }

  @Test
  void theApprovalCheckReferencesNothingElseOfCutover() throws IOException {
    // The plan parses its approvers' keys with it and the workflow judges approvals with it, so it
    // stands below both.
    assertThat(
            references("dev/cutover/approval", List.of("plan", "steps", "workflow", "preflight")))
        .isEmpty();
  }

  @Test
  void theStepUnitsReferenceNoEngineCode() throws IOException {
    assertThat(references("dev/cutover/steps", List.of("workflow"))).isEmpty();
  }

  @Test
  void noClassHereHasTheFullNameOfAnActivitiesClass() throws IOException {
    // Both modules use dev.cutover.steps.<unit>: a class of the same full name in both shadows one
    // of them on the worker's class path (the first one found wins).
    Path activities = Path.of("../activities/src/main/java");
    List<String> clashes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (Files.exists(activities.resolve(SOURCES.relativize(file)))) {
          clashes.add(SOURCES.relativize(file).toString());
        }
      }
    }
    assertThat(clashes).isEmpty();
  }

  @Test
  void theCheckFindsAReferenceUp() {
    // given a line of code that names the engine, when it is scanned, then it is found
    Matcher m = REFERENCE.matcher("import dev.cutover.workflow.MigrationInput;");
    assertThat(m.find()).isTrue();
    assertThat(m.group(1)).isEqualTo("workflow");
    assertThat(REFERENCE.matcher("x = dev.cutover.preflight.Preflight.STEP;").find()).isTrue();
  }

  /**
   * Lines of code (comments left out) under {@code dir} that name a package in {@code forbidden}.
   */
  private static List<String> references(String dir, List<String> forbidden) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(dir))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        List<String> lines = Files.readAllLines(file);
        boolean inComment = false;
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (inComment) {
            inComment = !line.contains("*/");
            continue;
          }
          if (line.startsWith("/*")) {
            inComment = !line.contains("*/");
            continue;
          }
          if (line.startsWith("//") || line.startsWith("*")) {
            continue;
          }
          Matcher m = REFERENCE.matcher(line.replaceAll("//.*$", ""));
          while (m.find()) {
            if (forbidden.contains(m.group(1))) {
              found.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + line);
            }
          }
        }
      }
    }
    return found;
  }
}
