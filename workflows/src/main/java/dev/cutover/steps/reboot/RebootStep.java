package dev.cutover.steps.reboot;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.time.Duration;

/**
 * The {@code reboot} step in the workflow: one activity that reboots the host and waits for it. It
 * gives the host the step's timeout less a margin to come back, so the activity says which host did
 * not come back before Temporal's timeout would end it without a word. No undo: a reboot is not
 * taken back.
 */
public final class RebootStep implements StepHandler<RebootSpec> {
  /** Left of the step's timeout for the activity to report a host that did not come back. */
  static final Duration MARGIN = Duration.ofSeconds(30);

  @Override
  public String preview(RebootSpec s, PhaseName phase, Plan plan) {
    return ", then wait until it is back with the same host key";
  }

  @Override
  public StepDone run(StepCall call, RebootSpec spec) {
    RebootResult r =
        call.activities(RebootActivities.class)
            .reboot(
                new RebootRequest(
                    call.migration(),
                    call.step().name(),
                    spec.host(),
                    call.plan().host(spec.host()),
                    upWithin(call.timeout()),
                    spec.sudo()));
    return StepDone.of(
        spec.host()
            + (r.requested()
                ? " rebooted, back after " + r.waitedMillis() / 1000 + "s"
                : " had rebooted already (an earlier attempt asked)")
            + " with the same host key; boot id "
            + shortId(r.bootIdBefore())
            + " -> "
            + shortId(r.bootIdAfter()));
  }

  static Duration upWithin(Duration timeout) {
    Duration half = timeout.dividedBy(2);
    Duration less = timeout.minus(MARGIN);
    return less.compareTo(half) > 0 ? less : half;
  }

  private static String shortId(String bootId) {
    return bootId == null || bootId.length() <= 8 ? bootId : bootId.substring(0, 8);
  }
}
