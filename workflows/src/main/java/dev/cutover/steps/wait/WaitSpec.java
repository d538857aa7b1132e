package dev.cutover.steps.wait;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.time.Duration;

/** The fields of a {@code wait} step: a durable timer. */
public record WaitSpec(@Doc("How long to wait.") Duration duration) implements StepSpec {
  @Override
  public boolean canUndo() {
    return false;
  }

  @Override
  public void validate(SpecCheck check) {
    if (duration == null) {
      check.report(null, "missing field 'duration': a wait step needs how long to wait");
    } else {
      check.positive("duration", duration);
    }
    if (check.step().undo() != null) {
      check.report("undo", "field 'undo' does not apply to a wait step");
    }
  }
}
