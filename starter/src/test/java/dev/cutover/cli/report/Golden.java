package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares a rendering with its committed expected file. To accept a change of the reports on
 * purpose, run the tests with {@code -Dcutover.updateGolden=true}: they rewrite the expected files,
 * and the diff shows in review what changed.
 */
final class Golden {
  static final Path RESOURCES = Path.of("src/test/resources/report");
  static final boolean UPDATE = Boolean.getBoolean("cutover.updateGolden");

  private Golden() {}

  static void check(String actual, Path expected) throws IOException {
    Path file = RESOURCES.resolve("expected").resolve(expected);
    if (UPDATE) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file)
        .as("golden file %s is missing: run with -Dcutover.updateGolden=true to write it", file)
        .exists();
    assertThat(actual)
        .as("rendering differs from %s (run with -Dcutover.updateGolden=true to accept it)", file)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
