package dev.cutover.cli;

/** A failure the CLI reports as one clear line and an exit code, never a stack trace. */
public class CliFailure extends RuntimeException {
  private final int exitCode;

  public CliFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
