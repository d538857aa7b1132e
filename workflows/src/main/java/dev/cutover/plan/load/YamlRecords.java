package dev.cutover.plan.load;

import java.time.Instant;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a YAML file other than a plan (a fleet file) onto records the way plans are bound: every
 * problem with its line and column, unknown keys with a "did you mean", foreign tags refused.
 */
public final class YamlRecords {
  private YamlRecords() {}

  /**
   * @param what what the file is, for the message about an empty one ({@code fleet})
   * @throws InvalidPlanException when the text is not YAML or is empty; problems of the binding
   *     itself are in the result, so the caller can add its own before it throws
   */
  public static <T> BoundYaml<T> bind(String file, String text, Class<T> type, String what)
      throws InvalidPlanException {
    Node root = PlanLoader.compose(file, text);
    if (root == null || (root instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL))) {
      throw new InvalidPlanException(
          List.of(new PlanProblem(file, 1, 1, "", "the " + what + " file is empty")));
    }
    YamlBinder binder = new YamlBinder(file, Instant.now());
    T value = type.cast(binder.bind(root, type, ""));
    return new BoundYaml<>(file, value, binder.problems(), binder.marks());
  }
}
