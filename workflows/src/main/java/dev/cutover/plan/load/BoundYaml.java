package dev.cutover.plan.load;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;

/**
 * A YAML file bound onto a record, with the binder's problems and where each field path starts.
 *
 * @param value the bound record, or null when the file is not a mapping
 */
public record BoundYaml<T>(
    String file, T value, List<PlanProblem> problems, Map<String, Mark> marks) {

  public BoundYaml {
    problems = List.copyOf(problems);
    marks = Map.copyOf(marks);
  }

  /** A problem at the field path, or at its closest parent the file spells out. */
  public PlanProblem problem(String path, String message) {
    Mark mark = PlanLoader.nearestMark(marks, path);
    return mark == null
        ? new PlanProblem(file, 1, 1, path, message)
        : new PlanProblem(file, mark.getLine() + 1, mark.getColumn() + 1, path, message);
  }

  /** Whether the file spells out this field path (an item of a list, a key of a map). */
  public boolean has(String path) {
    return marks.containsKey(path);
  }

  /** The paths the binder found a problem at: a value it refused is not judged again. */
  public Set<String> problemPaths() {
    return problems.stream().map(PlanProblem::path).collect(Collectors.toSet());
  }
}
