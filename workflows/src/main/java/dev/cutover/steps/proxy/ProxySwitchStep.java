package dev.cutover.steps.proxy;

import dev.cutover.plan.Host;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.util.List;

/** The {@code proxy-switch} step in the workflow; its undo puts the old host's site back. */
public final class ProxySwitchStep implements StepHandler<ProxySwitchSpec> {
  /** nginx's own default: a site without listen answers on port 80. */
  static final List<String> DEFAULT_LISTEN = List.of("80");

  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, ProxySwitchSpec s, PhaseName phase, Plan plan) {
    // nginx itself is looked for by the proxy check, where the step looks (with sbin on the PATH),
    // or
    // not at all when the step's own test and reload commands stand in for it.
    needs.tools(s.host(), "sha256sum");
    needs.proxySwitch(request(plan, step.name(), s));
  }

  @Override
  public String preview(ProxySwitchSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.site()
        + ": proxy "
        + (s.serverNames().isEmpty() ? "all names" : String.join(" ", s.serverNames()))
        + " to "
        + (s.upstream() != null ? s.upstream() : s.to())
        + " (nginx -t, reload; undo puts the site back)";
  }

  @Override
  public StepDone run(StepCall call, ProxySwitchSpec spec) {
    ProxySwitchRequest request = request(call);
    ProxySwitchResult result = call.activities(ProxySwitchActivities.class).switchToNew(request);
    String summary =
        request.hostName()
            + "'s nginx proxies "
            + String.join(" ", request.serverNames())
            + " to "
            + request.upstream()
            + (result.changed() ? "" : " (already so)")
            + (result.previousExisted() ? "; previous site kept at " + result.backupPath() : "");
    return new StepDone(summary, ProxyUndo.of(result), null);
  }

  @Override
  public StepDone undo(StepCall call, ProxySwitchSpec spec, BuiltInUndo undo) {
    ProxySwitchSpec s = call.step().spec(ProxySwitchSpec.class);
    Host host = call.plan().host(s.host());
    // The activity finds what the switch left on the host by the switch step's name, not the
    // undo's.
    String switchStep = Step.undoneStep(call.step().name());
    ProxyRestoreResult result =
        call.activities(ProxySwitchActivities.class)
            .restore(
                new ProxyRestoreRequest(
                    switchStep,
                    s.host(),
                    host,
                    ((ProxyUndo) undo).proxy(),
                    s.testCommand(),
                    s.reloadCommand(),
                    host != null && host.sudoFor(s.sudo()),
                    s.site(),
                    s.enabledLink()));
    return StepDone.of(
        result.sitePath()
            + (result.exists() ? " restored" : " removed")
            + (result.changed() ? ", nginx reloaded" : " (already so)"));
  }

  /**
   * A switch cut short or failed may have written the site: its undo works from what is on the
   * host.
   */
  @Override
  public BuiltInUndo undoIfCutShort(Step step, ProxySwitchSpec spec) {
    return ProxyUndo.cutShort();
  }

  @Override
  public boolean undoWhenFailed() {
    return true;
  }

  static ProxySwitchRequest request(StepCall call) {
    return request(call.plan(), call.step().name(), call.step().spec(ProxySwitchSpec.class));
  }

  /**
   * The switch's request from the step's spec: what the step runs and what preflight checks before
   * it.
   */
  static ProxySwitchRequest request(Plan plan, String step, ProxySwitchSpec s) {
    Host host = plan.host(s.host());
    String address = s.upstream() != null ? null : plan.hosts().get(s.to()).address();
    String upstream =
        s.upstream() != null
            ? s.upstream()
            : "http://" + (address.contains(":") ? "[" + address + "]" : address);
    return new ProxySwitchRequest(
        step,
        s.host(),
        host,
        s.site(),
        s.enabledLink(),
        s.serverNames(),
        s.listen().isEmpty() ? DEFAULT_LISTEN : s.listen(),
        s.certificate(),
        s.certificateKey(),
        upstream,
        s.upstreamHost(),
        s.readTimeout(),
        s.testCommand(),
        s.reloadCommand(),
        host != null && host.sudoFor(s.sudo()));
  }
}
