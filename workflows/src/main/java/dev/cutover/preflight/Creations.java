package dev.cutover.preflight;

import dev.cutover.plan.Step;
import java.util.List;

/**
 * What a step makes that a later step of the same plan needs, by kind, from the step's own fields:
 * preflight checks such a need just before the step that needs it, not at the start, where it
 * cannot exist yet. Each thing is a key: {@link #path} or {@link #database}. Pure.
 */
final class Creations {
  private Creations() {}

  /** What the step makes when it runs. */
  static List<String> of(Step s) {
    return switch (s.kind()) {
      // rsync makes its target directory; put writes its file.
      case RSYNC -> s.to() == null || s.target() == null ? List.of() : List.of(path(s.to(), s.target()));
      case PUT -> s.host() == null || s.path() == null ? List.of() : List.of(path(s.host(), s.path()));
      default -> List.of();
    };
  }

  /** A file or directory on a host of the plan. */
  static String path(String host, String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return "path " + host + " " + p;
  }

  /** A database of the plan, by its name there. */
  static String database(String name) {
    return "database " + name;
  }

  /** Whether {@code needed} is there once {@code created} is: the same thing, or a path inside it. */
  static boolean covers(String created, String needed) {
    return needed.equals(created) || created.startsWith("path ") && needed.startsWith(created.endsWith("/") ? created : created + "/");
  }
}
