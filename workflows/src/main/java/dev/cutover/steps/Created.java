package dev.cutover.steps;

/**
 * Something a step creates (a database, a directory), so preflight checks a later step's need for
 * it just before that step instead of refusing at the start.
 *
 * @param what "database" or "directory"
 * @param host the host it is on; null for a database (named from the plan's databases)
 * @param name the database's plan name, or the directory's absolute path
 */
public record Created(String what, String host, String name) {
  public static final String DATABASE = "database";
  public static final String DIRECTORY = "directory";

  public static Created database(String name) {
    return new Created(DATABASE, null, name);
  }

  public static Created directory(String host, String path) {
    return new Created(DIRECTORY, host, path);
  }

  /**
   * Whether {@code needed} is there once this is made: the same database, or on the same host the
   * same directory or a path inside it (trailing slashes aside).
   */
  public boolean covers(Created needed) {
    if (!what.equals(needed.what)
        || !java.util.Objects.equals(host, needed.host)
        || name == null
        || needed.name == null) {
      return false;
    }
    if (what.equals(DATABASE)) {
      return name.equals(needed.name);
    }
    String made = trimmed(name);
    String path = trimmed(needed.name);
    return path.equals(made) || path.startsWith(made.endsWith("/") ? made : made + "/");
  }

  private static String trimmed(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
