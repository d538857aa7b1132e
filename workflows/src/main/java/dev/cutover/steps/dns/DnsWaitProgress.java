package dev.cutover.steps.dns;

import java.util.List;
import java.util.Map;

/**
 * Heartbeat details while waiting: what each server still answers.
 *
 * @param answers each server's current answer
 * @param pending the servers that do not answer the expected value yet
 */
public record DnsWaitProgress(Map<String, List<String>> answers, List<String> pending) {

  public DnsWaitProgress {
    answers = answers == null ? Map.of() : Map.copyOf(answers);
    pending = pending == null ? List.of() : List.copyOf(pending);
  }
}
