package dev.cutover.hosts;

/**
 * How a script ended.
 *
 * @param exitCode its exit code; -1 when it was killed for its timeout
 * @param stdout what it wrote on standard output, up to {@link HostShell#STDOUT_LIMIT} characters
 *     (for parsing: a crontab, a checksum); not masked, so never put it in a result as it is
 * @param outputTail the last lines of standard output and error together, secrets masked
 * @param truncated whether the tail or stdout lost lines
 * @param timedOut whether it was killed because it ran past its timeout
 * @param durationMillis how long it ran
 */
public record ShellResult(
    int exitCode,
    String stdout,
    String outputTail,
    boolean truncated,
    boolean timedOut,
    long durationMillis) {
  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }

  /**
   * As a step result and failure details record it: exit code and the masked tail, never stdout.
   */
  public dev.cutover.steps.run.RunResult asRunResult() {
    return new dev.cutover.steps.run.RunResult(exitCode, outputTail, durationMillis, truncated);
  }

  /** The last line of output, for error messages. */
  public String lastLine() {
    int nl = outputTail.lastIndexOf('\n');
    return nl < 0 ? outputTail : outputTail.substring(nl + 1);
  }
}
