package dev.cutover.workflow;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.cron.CronStep;
import dev.cutover.steps.maintenance.MaintenanceStep;
import dev.cutover.steps.put.PutStep;
import dev.cutover.steps.rsync.RsyncStep;
import dev.cutover.steps.service.ServiceStep;
import java.util.EnumMap;
import java.util.Map;

/** The handler of each step kind that runs through a {@link StepHandler} (run and wait are the executor's own). */
final class StepHandlers {
  private static final Map<StepKind, StepHandler> HANDLERS = new EnumMap<>(StepKind.class);

  static {
    HANDLERS.put(StepKind.RSYNC, new RsyncStep());
    HANDLERS.put(StepKind.SERVICE, new ServiceStep());
    HANDLERS.put(StepKind.CRON, new CronStep());
    HANDLERS.put(StepKind.MAINTENANCE, new MaintenanceStep());
    HANDLERS.put(StepKind.PUT, new PutStep());
  }

  private StepHandlers() {}

  static StepHandler of(StepKind kind) {
    return HANDLERS.get(kind);
  }
}
