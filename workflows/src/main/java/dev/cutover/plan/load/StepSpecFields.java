package dev.cutover.plan.load;

import dev.cutover.plan.StepKind;
import dev.cutover.plan.StepSpecTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The fields of every kind's spec, to tell a field of another kind from one no kind has. */
final class StepSpecFields {
  private static final List<String> ALL = collect();

  private StepSpecFields() {}

  /** Every kind's fields, once each, in the order of the kinds and their specs. */
  static List<String> all() {
    return ALL;
  }

  static boolean anyKindHas(String field) {
    return ALL.contains(field);
  }

  private static List<String> collect() {
    Set<String> names = new LinkedHashSet<>();
    for (StepKind kind : StepKind.values()) {
      names.addAll(RecordShape.of(StepSpecTable.get().specOf(kind)).byName.keySet());
    }
    return List.copyOf(new ArrayList<>(names));
  }
}
