package dev.cutover.hosts;

/** Quoting for values that reach a shell: paths, user and unit names from the plan. */
public final class Sh {
  private Sh() {}

  /** One shell word that the shell reads back as exactly {@code value}, whatever it holds. */
  public static String quote(String value) {
    if (value == null) {
      throw new IllegalArgumentException("cannot quote a missing value");
    }
    if (!value.isEmpty()
        && value
            .chars()
            .allMatch(c -> Character.isLetterOrDigit(c) || "@%_+=:,./-".indexOf(c) >= 0)) {
      return value;
    }
    return "'" + value.replace("'", "'\"'\"'") + "'";
  }
}
