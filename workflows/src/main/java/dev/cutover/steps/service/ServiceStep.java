package dev.cutover.steps.service;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code service} step in the workflow. Its undo applies the opposite action, and only when the
 * action changed something: a service that was already stopped stays stopped on rollback.
 */
public final class ServiceStep implements StepHandler<ServiceSpec> {
  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, ServiceSpec s, PhaseName phase, Plan plan) {
    if (s.unit() != null) {
      needs.tools(s.host(), "systemctl");
    }
  }

  @Override
  public String preview(ServiceSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.action()
        + " "
        + (s.unit() != null ? s.unit() : "$ " + s.command() + " (check $ " + s.check() + ")");
  }

  @Override
  public StepDone run(StepCall call, ServiceSpec spec) {
    ServiceAction action =
        ServiceAction.valueOf(
            call.step().spec(ServiceSpec.class).action().toUpperCase(Locale.ROOT));
    ServiceResult result =
        call.activities(ServiceActivities.class).control(request(spec, call, action));
    // After a failed try, an earlier attempt may have made the change: keep the undo then too.
    boolean mayHaveChanged = result.changed() || call.tryNumber() > 1;
    boolean undoable =
        mayHaveChanged
            && opposite(action) != null
            && call.step().spec(ServiceSpec.class).unit() != null;
    return new StepDone(summary(result), undoable ? ServiceUndo.of(result) : null, null);
  }

  @Override
  public BuiltInUndo undoIfCutShort(Step step, ServiceSpec spec) {
    ServiceAction action = ServiceAction.valueOf(spec.action().toUpperCase(Locale.ROOT));
    return spec.unit() != null && opposite(action) != null ? ServiceUndo.cutShort() : null;
  }

  @Override
  public StepDone undo(StepCall call, ServiceSpec spec, BuiltInUndo undo) {
    ServiceAction done =
        ((ServiceUndo) undo).service() != null
            ? ((ServiceUndo) undo).service().action()
            : ServiceAction.valueOf(
                call.step().spec(ServiceSpec.class).action().toUpperCase(Locale.ROOT));
    ServiceAction back = opposite(done);
    ServiceResult result =
        call.activities(ServiceActivities.class).control(request(spec, call, back));
    return StepDone.of(summary(result));
  }

  static ServiceRequest request(ServiceSpec s, StepCall call, ServiceAction action) {
    Duration settle = s.settle();
    return new ServiceRequest(
        call.step().name(),
        s.host(),
        call.plan().host(s.host()),
        s.unit(),
        action,
        s.command(),
        s.check(),
        settle,
        s.sudo());
  }

  /** The action that puts the state back; restart has none. */
  static ServiceAction opposite(ServiceAction action) {
    return switch (action) {
      case STOP -> ServiceAction.START;
      case START -> ServiceAction.STOP;
      case ENABLE -> ServiceAction.DISABLE;
      case DISABLE -> ServiceAction.ENABLE;
      case RESTART -> null;
    };
  }

  static String summary(ServiceResult r) {
    String name = r.unit() == null ? "service" : r.unit();
    if (!r.changed()) {
      return name
          + " already "
          + (r.activeState() != null ? r.activeState() : "in place")
          + "; nothing done";
    }
    return name
        + ": "
        + r.action().name().toLowerCase(Locale.ROOT)
        + " ("
        + r.previousActiveState()
        + " -> "
        + r.activeState()
        + ")";
  }
}
