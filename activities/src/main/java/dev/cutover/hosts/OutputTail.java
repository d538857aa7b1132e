package dev.cutover.hosts;

import dev.cutover.secrets.SecretMask;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * Keeps the last lines of a command's output within a byte budget, so a command that prints
 * gigabytes costs the worker and the history a few kilobytes. Secret values are masked (the step's
 * own and, in an activity, every secret of the plan: see {@link HostShells}).
 */
public final class OutputTail {
  private final int maxChars;
  private final SecretMask secrets;
  private final Deque<String> lines = new ArrayDeque<>();
  private int chars;
  private boolean truncated;
  private volatile String lastLine = "";

  /**
   * @param secrets the resolved values to mask, in every form {@link SecretMask} knows
   */
  public OutputTail(int maxChars, Collection<String> secrets) {
    this.maxChars = maxChars;
    this.secrets = SecretMask.of(secrets);
  }

  /** The mask this tail applies, for the readers that must mask a long line before they cut it. */
  public SecretMask secrets() {
    return secrets;
  }

  /**
   * Keeps a line, masked, and returns it as kept. Two readers (stdout, stderr) add at once: a
   * caller that passes the line on must use this value, not {@link #lastLine()}, which may already
   * be the other reader's line.
   */
  public synchronized String add(String line) {
    String masked = mask(line);
    if (masked.length() > maxChars) {
      masked = masked.substring(masked.length() - maxChars);
      truncated = true;
    }
    lines.addLast(masked);
    chars += masked.length() + 1;
    while (chars > maxChars && lines.size() > 1) {
      chars -= lines.removeFirst().length() + 1;
      truncated = true;
    }
    lastLine = masked;
    return masked;
  }

  public String lastLine() {
    return lastLine;
  }

  public synchronized String text() {
    return String.join("\n", lines);
  }

  public synchronized boolean truncated() {
    return truncated;
  }

  /** The line with the secrets masked, for what leaves the tail (a log line). */
  public String mask(String line) {
    return secrets.mask(line);
  }
}
