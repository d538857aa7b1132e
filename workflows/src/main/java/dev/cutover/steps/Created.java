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
}
