package dev.cutover.hosts;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * Keeps the last lines of a command's output within a byte budget, so a command that prints
 * gigabytes costs the worker and the history a few kilobytes. Secret values are masked.
 */
public final class OutputTail {
  private final int maxChars;
  private final Collection<String> secrets;
  private final Deque<String> lines = new ArrayDeque<>();
  private int chars;
  private boolean truncated;
  private volatile String lastLine = "";

  public OutputTail(int maxChars, Collection<String> secrets) {
    this.maxChars = maxChars;
    this.secrets = maskable(secrets);
  }

  /**
   * Output is read line by line, so a secret that spans lines (a key file) can only be caught one
   * line at a time: every line of it is masked on its own.
   */
  private static java.util.List<String> maskable(Collection<String> secrets) {
    java.util.List<String> result = new java.util.ArrayList<>();
    for (String secret : secrets) {
      result.add(secret);
      if (secret.contains("\n")) {
        for (String line : secret.split("\r?\n")) {
          if (!line.isBlank()) {
            result.add(line);
          }
        }
      }
    }
    // Longest first, so a whole secret is masked before any part of it.
    result.sort(java.util.Comparator.comparingInt(String::length).reversed());
    return result;
  }

  /**
   * Keeps a line, masked, and returns it as kept. Two readers (stdout, stderr) add at once: a caller
   * that passes the line on must use this value, not {@link #lastLine()}, which may already be the
   * other reader's line.
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
  String mask(String line) {
    String out = line;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        out = out.replace(secret, "***");
      }
    }
    return out;
  }
}
