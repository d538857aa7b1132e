package dev.cutover.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the directories the test servers keep their state in. */
public final class TempTree {
  private TempTree() {}

  /**
   * Deletes {@code root} and everything below it; best effort, since a leftover temp dir does no
   * harm to later runs.
   */
  public static void delete(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort, as above
    }
  }

  /** Sleeps while a test server comes up; an interrupt ends the wait with the reason. */
  public static void pause(long millis, String waitingFor) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + waitingFor, e);
    }
  }
}
