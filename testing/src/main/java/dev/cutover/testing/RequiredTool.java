package dev.cutover.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;

/**
 * The one policy for a tool a test needs and the machine lacks: the test fails, with one line that
 * says what to install. It never skips: a suite that passes because its real tests were skipped
 * proves nothing. {@code ./run-tests}, run as root, installs every tool named here.
 */
public final class RequiredTool {
  private static final String HOW =
      " (or run ./run-tests as root: it installs every tool the tests need)";

  private RequiredTool() {}

  /**
   * The first of {@code candidates} that is an executable file; fails the test naming the tool and
   * its install command when there is none.
   *
   * @param tool what the test needs, as a person names it ("nginx", "BIND's named")
   * @param install the command that installs it ("apt-get install nginx")
   */
  public static Path require(String tool, String install, Path... candidates) {
    return Arrays.stream(candidates)
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                missing(
                    tool
                        + " is not installed (no "
                        + Arrays.stream(candidates)
                            .map(Path::toString)
                            .collect(Collectors.joining(", "))
                        + ")",
                    install));
  }

  /** Like {@link #require}, for a program found on the PATH, as the code under test finds it. */
  public static Path onPath(String program, String install) {
    return findOnPath(program)
        .orElseThrow(() -> missing(program + " is not installed (not on PATH)", install));
  }

  /** Where {@code program} is on this process's PATH, if it is. */
  public static Optional<Path> findOnPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * The failure for a tool that is not usable here, in one line: what is missing and how to install
   * it. For checks {@link #require} cannot express (a directory of binaries, a user); throw it.
   *
   * @param problem what is wrong, e.g. "PostgreSQL is not installed (no
   *     /usr/lib/postgresql/N/bin/initdb)"
   */
  public static AssertionFailedError missing(String problem, String install) {
    return new AssertionFailedError("missing tool: " + problem + ": " + install + HOW);
  }
}
