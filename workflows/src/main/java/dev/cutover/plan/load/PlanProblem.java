package dev.cutover.plan.load;

/**
 * One thing wrong with a plan file, at a place an editor can jump to. Lines and columns count from
 * 1.
 */
public record PlanProblem(String file, int line, int column, String path, String message) {

  /**
   * {@code FILE:LINE:COL: field.path: message}, the form compilers use so editors link it. Control
   * characters a plan's keys or values bring into it are written as escapes: the line goes to a
   * terminal, where a raw one could end the line early or rewrite the screen.
   */
  public String format() {
    return escaped(
        file
            + ":"
            + line
            + ":"
            + column
            + ": "
            + (path.isEmpty() ? "(plan)" : path)
            + ": "
            + message);
  }

  private static String escaped(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
