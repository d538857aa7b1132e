package dev.cutover.plan;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Which spec record each step kind's fields bind to. The plan layer needs it to read plans (YAML
 * and JSON) but must not import the step units that own the specs; the table lives with them
 * ({@code dev.cutover.steps.StepKinds}) and is found here through {@link ServiceLoader}, declared
 * in {@code META-INF/services/dev.cutover.plan.StepSpecTable}.
 */
public interface StepSpecTable {
  /** The spec record of the kind; never null for a kind of {@link StepKind}. */
  Class<? extends StepSpec> specOf(StepKind kind);

  /** The one table on the class path. */
  static StepSpecTable get() {
    return Holder.TABLE;
  }

  /** Loads the table once, on first use. */
  final class Holder {
    private static final StepSpecTable TABLE = load();

    private Holder() {}

    private static StepSpecTable load() {
      Iterator<StepSpecTable> found =
          ServiceLoader.load(StepSpecTable.class, StepSpecTable.class.getClassLoader()).iterator();
      if (!found.hasNext()) {
        throw new IllegalStateException(
            "no " + StepSpecTable.class.getName() + " on the class path (META-INF/services)");
      }
      return found.next();
    }
  }
}
