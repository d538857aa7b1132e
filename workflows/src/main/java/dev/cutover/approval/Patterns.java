package dev.cutover.approval;

import java.time.format.DateTimeFormatter;
import java.util.List;

/** OpenSSH's pattern lists (ssh_config(5), PATTERNS) and the time formats of allowed_signers. */
final class Patterns {
  static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("uuuuMMddHHmm");
  static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

  private Patterns() {}

  /**
   * Whether {@code name} matches the list: a negated pattern ({@code !x}) that matches refuses,
   * whatever else matches; otherwise any plain pattern that matches accepts.
   */
  static boolean matchesList(String name, List<String> patterns) {
    boolean matched = false;
    for (String pattern : patterns) {
      boolean negated = pattern.startsWith("!");
      if (glob(name, negated ? pattern.substring(1) : pattern)) {
        if (negated) {
          return false;
        }
        matched = true;
      }
    }
    return matched;
  }

  /** {@code *} matches any run of characters, {@code ?} any one. */
  static boolean glob(String name, String pattern) {
    int n = 0;
    int p = 0;
    int star = -1;
    int mark = 0;
    while (n < name.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
        n++;
        p++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = n;
      } else if (star >= 0) {
        p = star + 1;
        n = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
