package dev.cutover.steps.proxy;

import dev.cutover.plan.Host;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.util.List;

/** The {@code proxy-switch} step in the workflow; its undo puts the old host's site back. */
public final class ProxySwitchStep implements StepHandler {
  /** nginx's own default: a site without listen answers on port 80. */
  static final List<String> DEFAULT_LISTEN = List.of("80");
  /** How the executor names the undo of a step (see StepExecutor.runUndo). */
  static final String UNDO_SUFFIX = ".undo";

  @Override
  public StepDone run(StepCall call) {
    ProxySwitchRequest request = request(call);
    ProxySwitchResult result = call.activities(ProxySwitchActivities.class).switchToNew(request);
    String summary = request.hostName() + "'s nginx proxies " + String.join(" ", request.serverNames()) + " to " + request.upstream()
        + (result.changed() ? "" : " (already so)") + (result.previousExisted() ? "; previous site kept at " + result.backupPath() : "");
    return new StepDone(summary, BuiltInUndo.proxy(result), null);
  }

  @Override
  public StepDone undo(StepCall call, BuiltInUndo undo) {
    Step s = call.step();
    Host host = call.plan().host(s.host());
    // The activity finds what the switch left on the host by the switch step's name, not the undo's.
    String switchStep = s.name().endsWith(UNDO_SUFFIX) ? s.name().substring(0, s.name().length() - UNDO_SUFFIX.length()) : s.name();
    ProxyRestoreResult result = call.activities(ProxySwitchActivities.class).restore(new ProxyRestoreRequest(switchStep, s.host(), host,
        undo.proxy(), s.testCommand(), s.reloadCommand(), host != null && host.sudoFor(s.sudo()), s.site(), s.enabledLink()));
    return StepDone.of(result.sitePath() + (result.exists() ? " restored" : " removed") + (result.changed() ? ", nginx reloaded" : " (already so)"));
  }

  /** A switch cut short or failed may have written the site: its undo works from what is on the host. */
  @Override
  public BuiltInUndo undoIfCutShort(Step step) {
    return BuiltInUndo.cutShort(step.kind());
  }

  @Override
  public boolean undoWhenFailed() {
    return true;
  }

  static ProxySwitchRequest request(StepCall call) {
    return request(call.plan(), call.step());
  }

  /** The switch's request from the plan's step: what the step runs and what preflight checks before it. */
  public static ProxySwitchRequest request(Plan plan, Step s) {
    Host host = plan.host(s.host());
    String address = s.upstream() != null ? null : plan.hosts().get(s.to()).address();
    String upstream = s.upstream() != null ? s.upstream() : "http://" + (address.contains(":") ? "[" + address + "]" : address);
    return new ProxySwitchRequest(s.name(), s.host(), host, s.site(), s.enabledLink(), s.serverNames(),
        s.listen().isEmpty() ? DEFAULT_LISTEN : s.listen(), s.certificate(), s.certificateKey(), upstream, s.upstreamHost(),
        s.readTimeout(), s.testCommand(), s.reloadCommand(), host != null && host.sudoFor(s.sudo()));
  }
}
