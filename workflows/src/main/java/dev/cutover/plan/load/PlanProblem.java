package dev.cutover.plan.load;

/** One thing wrong with a plan file, at a place an editor can jump to. Lines and columns count from 1. */
public record PlanProblem(String file, int line, int column, String path, String message) {

  /** {@code FILE:LINE:COL: field.path: message}, the form compilers use so editors link it. */
  public String format() {
    return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "(plan)" : path) + ": " + message;
  }

  @Override
  public String toString() {
    return format();
  }
}
