package dev.cutover.steps.notify;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code notify} step: sends its message through the plan's notifications. Its onFailure
 * defaults to continue, so an undeliverable message is reported in the notes, not a reason to stop.
 */
public final class NotifyStep implements StepHandler<NotifySpec> {
  /**
   * The activity heartbeats after each delivered channel, not during one: an SMTP server may take
   * its whole read timeout to answer, longer than the steps' usual heartbeat timeout.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofMinutes(1);

  /** Reaches no host of the plan, or needs nothing checked first. */
  @Override
  public boolean needsPreflight() {
    return false;
  }

  @Override
  public String preview(NotifySpec s, PhaseName phase, Plan plan) {
    return " \""
        + (s.message() == null ? "" : s.message().strip())
        + "\" to the plan's notifications";
  }

  @Override
  public StepDone run(StepCall call, NotifySpec spec) {
    NotifySpec s = call.step().spec(NotifySpec.class);
    // The same on every Temporal retry of this try, so receivers can drop a duplicate.
    String key = call.migration() + "/" + call.step().name() + "/" + call.tryNumber();
    String title =
        call.step().description() != null
            ? call.step().description()
            : call.plan().migration() + ": " + call.step().name();
    NotifyRequest request =
        NotifyRequests.of(
            call.plan(),
            call.step().name(),
            Workflow.getInfo().getWorkflowId(),
            key,
            NotifyEvent.STEP,
            title,
            s.message(),
            Map.of("phase", call.phase().yamlName(), "step", call.step().name()));
    NotifyActivities activities =
        Workflow.newActivityStub(
            NotifyActivities.class,
            call.options().toBuilder().setHeartbeatTimeout(HEARTBEAT_TIMEOUT).build());
    NotifyResult result = activities.send(request);
    return StepDone.of(
        "sent by "
            + result.deliveries().stream()
                .filter(NotifyDelivery::delivered)
                .map(d -> d.channel().name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(" and ")));
  }
}
