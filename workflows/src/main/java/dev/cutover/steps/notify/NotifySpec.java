package dev.cutover.steps.notify;

import dev.cutover.plan.Doc;
import dev.cutover.plan.OnFailure;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;

/** The fields of a {@code notify} step: send a message through the plan's notifications. */
public record NotifySpec(
    @Doc(
            "The text sent (recorded in the history: no secrets in it); the description, or the step's name, is its title.")
        String message)
    implements StepSpec {
  /** An undeliverable notification is reported, never a reason to stop the migration. */
  @Override
  public OnFailure defaultOnFailure() {
    return OnFailure.CONTINUE;
  }

  @Override
  public void validate(SpecCheck c) {
    if (message == null || message.isBlank()) {
      c.report(null, "missing field 'message': a notify step needs the text to send");
    }
    if (c.plan().notifications() == null) {
      c.report(
          null,
          "a notify step sends through the plan's notifications; add a notifications section with webhook or email");
    }
  }
}
