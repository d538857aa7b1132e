package dev.cutover.cli;

/** The CLI's exit codes, so scripts can tell a bad plan from a refused approval. */
public final class ExitCode {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int INVALID_INPUT = 2;
  public static final int REJECTED = 3;

  private ExitCode() {}
}
