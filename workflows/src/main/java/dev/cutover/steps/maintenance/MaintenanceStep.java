package dev.cutover.steps.maintenance;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/** The {@code maintenance} step in the workflow; on and off are each other's undo. */
public final class MaintenanceStep implements StepHandler<MaintenanceSpec> {
  @Override
  public String preview(MaintenanceSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.action()
        + " "
        + (s.path() != null
            ? s.path()
            : "$ " + ("on".equals(s.action()) ? s.onCommand() : s.offCommand()));
  }

  @Override
  public StepDone run(StepCall call, MaintenanceSpec spec) {
    boolean on = "on".equals(call.step().spec(MaintenanceSpec.class).action());
    MaintenanceActivities page = call.activities(MaintenanceActivities.class);
    MaintenanceResult result = on ? page.on(request(call)) : page.off(request(call));
    // After a failed try, an earlier attempt may have switched the page: keep the undo then too.
    boolean mayHaveChanged = result.changed() || call.tryNumber() > 1;
    return new StepDone(
        "maintenance page "
            + (result.on() ? "on" : "off")
            + (result.changed() ? "" : " (already so)"),
        mayHaveChanged ? MaintenanceUndo.of(result) : null,
        null);
  }

  @Override
  public BuiltInUndo undoIfCutShort(Step step, MaintenanceSpec spec) {
    return MaintenanceUndo.cutShort();
  }

  @Override
  public StepDone undo(StepCall call, MaintenanceSpec spec, BuiltInUndo undo) {
    MaintenanceActivities page = call.activities(MaintenanceActivities.class);
    boolean turnedOn =
        ((MaintenanceUndo) undo).maintenance() != null
            ? ((MaintenanceUndo) undo).maintenance().on()
            : "on".equals(call.step().spec(MaintenanceSpec.class).action());
    MaintenanceResult result = turnedOn ? page.off(request(call)) : page.on(request(call));
    return StepDone.of("maintenance page " + (result.on() ? "on" : "off") + " again");
  }

  static MaintenanceRequest request(StepCall call) {
    MaintenanceSpec s = call.step().spec(MaintenanceSpec.class);
    MaintenanceMode mode = s.path() != null ? MaintenanceMode.FILE : MaintenanceMode.COMMAND;
    return new MaintenanceRequest(
        call.step().name(),
        s.host(),
        call.plan().host(s.host()),
        mode,
        s.path(),
        s.content(),
        s.onCommand(),
        s.offCommand(),
        s.check(),
        s.sudo());
  }
}
