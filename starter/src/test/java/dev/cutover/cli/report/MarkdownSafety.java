package dev.cutover.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * For tests: what in a Markdown text a renderer could turn into a link, an image or HTML. Code
 * spans and fenced blocks are inert and skipped; elsewhere an unescaped {@code [} (link, image,
 * reference), {@code <} (HTML, autolink), {@code ://}, {@code www.} or {@code @} (GitHub's bare
 * autolinks) is a finding.
 */
public final class MarkdownSafety {
  private MarkdownSafety() {}

  public static List<String> liveMarkup(String markdown) {
    List<String> findings = new ArrayList<>();
    boolean fenced = false;
    int lineNo = 0;
    for (String line : markdown.split("\n", -1)) {
      lineNo++;
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\\') {
          i++;
          continue;
        }
        if (c == '`') {
          int run = 1;
          while (i + run < line.length() && line.charAt(i + run) == '`') {
            run++;
          }
          int close = closingRun(line, i + run, run);
          if (close >= 0) {
            i = close + run - 1;
            continue;
          }
          i += run - 1;
          continue;
        }
        String what =
            c == '['
                ? "["
                : c == '<'
                    ? "<"
                    : c == '@'
                        ? "@"
                        : c == ':' && line.startsWith("//", i + 1)
                            ? "://"
                            : (c == 'w' || c == 'W')
                                    && line.regionMatches(true, i, "www.", 0, 4)
                                    && (i == 0 || !Character.isLetterOrDigit(line.charAt(i - 1)))
                                ? "www."
                                : null;
        if (what != null) {
          findings.add("line " + lineNo + ": unescaped " + what + " in: " + line);
        }
      }
    }
    return findings;
  }

  private static int closingRun(String line, int from, int length) {
    for (int i = from; i < line.length(); i++) {
      if (line.charAt(i) != '`') {
        continue;
      }
      int run = 1;
      while (i + run < line.length() && line.charAt(i + run) == '`') {
        run++;
      }
      if (run == length) {
        return i;
      }
      i += run - 1;
    }
    return -1;
  }
}
