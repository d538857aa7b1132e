package dev.cutover.fleet.load;

import java.util.List;
import java.util.Map;

/**
 * A template's text with a service's values in it, and how to find a column of that text in the
 * template: values change the length of their lines, never the number of lines.
 *
 * @param edits per line, the replacements on it in order: {column in the template, length there,
 *     length in the text}
 */
record FilledTemplate(String text, Map<Integer, List<int[]>> edits) {

  /** The template's column for a column of the filled text; inside a value, the placeholder's. */
  int templateColumn(int line, int column) {
    int shift = 0;
    for (int[] edit : edits.getOrDefault(line, List.of())) {
      int filledStart = edit[0] + shift;
      if (column < filledStart) {
        break;
      }
      if (column < filledStart + edit[2]) {
        return edit[0];
      }
      shift += edit[2] - edit[1];
    }
    return column - shift;
  }
}
