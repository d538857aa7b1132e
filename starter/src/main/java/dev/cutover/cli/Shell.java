package dev.cutover.cli;

/** Quoting for values the CLI writes into commands and plan files. */
final class Shell {
  private Shell() {}

  /** POSIX single-quoting: safe for any path, spaces and quotes included. */
  static String quote(String value) {
    return "'" + value.replace("'", "'\"'\"'") + "'";
  }

  /** A YAML double-quoted scalar, so a command with ':' or '#' stays one string. */
  static String yamlScalar(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
