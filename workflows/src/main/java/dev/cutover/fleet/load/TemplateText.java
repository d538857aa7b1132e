package dev.cutover.fleet.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plan template: YAML text with {@code ${name}} placeholders, filled textually before it is
 * parsed, so that every position a problem names is the template's own. {@code $${} is a literal
 * {@code ${}.
 */
final class TemplateText {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

  /** The name every template may use without a value: the service's own name. */
  static final String SERVICE = "service";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z][a-z0-9_-]*)}");

  private final String text;
  private final List<TemplatePlaceholder> placeholders = new ArrayList<>();

  /** Offsets of each {@code $$} that writes a literal {@code $} before a brace. */
  private final List<Integer> escapes = new ArrayList<>();

  /** {line, column, 0} of each {@code ${} that opens no placeholder. */
  private final List<int[]> broken = new ArrayList<>();

  private TemplateText(String text) {
    this.text = text;
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        lineStart = i + 1;
      } else if (c == '$' && text.startsWith("$${", i)) {
        escapes.add(i);
        i += 2; // the brace is the literal's, not a placeholder's
      } else if (c == '$' && text.startsWith("${", i)) {
        Matcher m = PLACEHOLDER.matcher(text).region(i, text.length());
        if (m.lookingAt()) {
          placeholders.add(
              new TemplatePlaceholder(m.group(1), i, m.end(), line, i - lineStart + 1));
          i = m.end() - 1;
        } else {
          broken.add(new int[] {line, i - lineStart + 1});
        }
      }
    }
  }

  static TemplateText of(String text) {
    return new TemplateText(text);
  }

  List<TemplatePlaceholder> placeholders() {
    return placeholders;
  }

  /** Where a {@code ${} opens no placeholder: {line, column}. */
  List<int[]> broken() {
    return broken;
  }

  /** The placeholder names used, in order of first use. */
  Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    placeholders.forEach(p -> names.add(p.name()));
    return names;
  }

  /**
   * The text with each placeholder replaced by its value.
   *
   * @param values a value for every placeholder name (the caller has checked)
   */
  FilledTemplate fill(Map<String, String> values) {
    StringBuilder out = new StringBuilder(text.length());
    Map<Integer, List<int[]>> edits = new HashMap<>();
    int from = 0;
    int p = 0;
    int e = 0;
    int line = 1;
    int lineStart = 0;
    while (p < placeholders.size() || e < escapes.size()) {
      boolean placeholderNext =
          e >= escapes.size()
              || (p < placeholders.size() && placeholders.get(p).start() < escapes.get(e));
      int start = placeholderNext ? placeholders.get(p).start() : escapes.get(e);
      int end = placeholderNext ? placeholders.get(p).end() : start + 3;
      String replacement = placeholderNext ? values.get(placeholders.get(p).name()) : "${";
      for (int i = from; i < start; i++) {
        if (text.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      out.append(text, from, start).append(replacement);
      edits
          .computeIfAbsent(line, k -> new ArrayList<>())
          .add(new int[] {start - lineStart + 1, end - start, replacement.length()});
      from = end;
      if (placeholderNext) {
        p++;
      } else {
        e++;
      }
    }
    out.append(text, from, text.length());
    return new FilledTemplate(out.toString(), edits);
  }
}
