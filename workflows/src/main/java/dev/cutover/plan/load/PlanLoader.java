package dev.cutover.plan.load;

import dev.cutover.plan.Plan;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/** Reads a plan file and returns a plan that the workflow can run, or every problem in it. */
public final class PlanLoader {
  private PlanLoader() {}

  public static Plan load(Path file) throws InvalidPlanException {
    return parse(file.toString(), PlanFileText.read(file));
  }

  /** Parses a plan's text; date-times are checked against the time of the call. */
  public static Plan parse(String file, String text) throws InvalidPlanException {
    return parse(file, text, Instant.now());
  }

  /**
   * @param now the moment date-times are measured from: none may lie more than {@link
   *     PlanLimits#MAX_DATE_DISTANCE} away
   */
  public static Plan parse(String file, String text, Instant now) throws InvalidPlanException {
    Node root = compose(file, text);
    if (root == null
        || (root instanceof org.yaml.snakeyaml.nodes.ScalarNode scalar
            && scalar.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL))) {
      throw new InvalidPlanException(List.of(new PlanProblem(file, 1, 1, "", "the plan is empty")));
    }
    return bindPlan(file, root, now);
  }

  /**
   * The YAML node tree of a file's text (null for an empty one), or its syntax error with a
   * position; fleet files are read the same way.
   */
  static Node compose(String file, String text) throws InvalidPlanException {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(PlanLimits.MAX_FILE_BYTES);
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(50);
    Node root;
    try {
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      // At the end of the input the problem mark is past the last line: the context (the open
      // bracket or quote) is where the operator has to look.
      if (e.getContextMark() != null && (mark == null || mark.getIndex() >= text.length())) {
        mark = e.getContextMark();
      }
      String message =
          "not valid YAML: "
              + (e.getContext() != null ? e.getContext() + ", " : "")
              + e.getProblem();
      throw new InvalidPlanException(
          List.of(
              new PlanProblem(
                  file,
                  mark == null ? 1 : mark.getLine() + 1,
                  mark == null ? 1 : mark.getColumn() + 1,
                  "",
                  message)));
    } catch (ReaderException e) {
      // A character YAML does not allow anywhere (NUL, ESC, ...): the reader gives its position
      // only.
      int[] place = lineAndColumn(text, e.getPosition());
      throw new InvalidPlanException(
          List.of(
              new PlanProblem(
                  file,
                  place[0],
                  place[1],
                  "",
                  String.format(
                      "the file holds the character U+%04X, which YAML does not allow; in a double-quoted value write it as an escape (like \\e or \\x1b)",
                      e.getCodePoint()))));
    } catch (YAMLException e) {
      throw new InvalidPlanException(
          List.of(new PlanProblem(file, 1, 1, "", "not valid YAML: " + e.getMessage())));
    }
    return root;
  }

  private static Plan bindPlan(String file, Node root, Instant now) throws InvalidPlanException {
    YamlBinder binder = new YamlBinder(file, now);
    Plan plan = (Plan) binder.bind(root, Plan.class, "");
    List<PlanProblem> problems = new ArrayList<>(binder.problems());
    if (plan != null) {
      Map<String, Mark> marks = binder.marks();
      java.util.Set<String> badValues = new java.util.HashSet<>();
      binder.problems().forEach(p -> badValues.add(p.path()));
      new PlanValidator(
              plan,
              (path, message) -> {
                if (badValues.contains(path)) {
                  return; // the binder already said what is wrong with this value
                }
                if (message.startsWith("missing field '")) {
                  // A value the binder already rejected reads as missing here; one message is
                  // enough.
                  String field =
                      message.substring(
                          "missing field '".length(),
                          message.indexOf('\'', "missing field '".length()));
                  if (badValues.contains(path + "." + field)) {
                    return;
                  }
                }
                Mark mark = nearestMark(marks, path);
                problems.add(
                    new PlanProblem(file, mark.getLine() + 1, mark.getColumn() + 1, path, message));
              })
          .validate();
    }
    if (problems.isEmpty()) {
      // Only a plan that is otherwise right is measured: a broken one is not sent anywhere.
      long size = InputSize.of(plan);
      if (size > PlanLimits.MAX_INPUT_BYTES) {
        problems.add(
            new PlanProblem(
                file,
                1,
                1,
                "",
                "the plan is too large for Temporal to hold: "
                    + size
                    + " bytes as the workflow's input, at most "
                    + PlanLimits.MAX_INPUT_BYTES
                    + " (Temporal refuses payloads over "
                    + PlanLimits.TEMPORAL_BLOB_LIMIT_BYTES
                    + " bytes, and a continued run carries the plan beside its state)"));
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(
          Comparator.comparingInt(PlanProblem::line).thenComparingInt(PlanProblem::column));
      throw new InvalidPlanException(problems);
    }
    return plan;
  }

  /** Line and column (from 1) of the character at a code point offset of the text. */
  private static int[] lineAndColumn(String text, int codePointOffset) {
    int line = 1;
    int column = 1;
    int seen = 0;
    for (int i = 0;
        i < text.length() && seen < codePointOffset;
        i += Character.charCount(text.codePointAt(i)), seen++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }

  /** The mark of the path, or of its closest parent that the file spells out. */
  static Mark nearestMark(Map<String, Mark> marks, String path) {
    String p = path;
    while (true) {
      Mark m = marks.get(p);
      if (m != null) {
        return m;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return marks.get("");
      }
      p = p.substring(0, cut);
    }
  }
}
