package dev.cutover.steps.proxy;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A proxy-switch step's undo: the old host's site put back. It travels in the undo stack (and so in
 * continue-as-new inputs) as {"kind": "PROXY_SWITCH", "proxy": ...}, the shape histories hold.
 *
 * @param proxy what the run did; {@code null} for a step an abort cut short, undone from the host's
 *     state
 */
public record ProxyUndo(StepKind kind, ProxySwitchResult proxy) implements BuiltInUndo {
  public static ProxyUndo of(ProxySwitchResult result) {
    return new ProxyUndo(StepKind.PROXY_SWITCH, result);
  }

  /** The undo of a step cut short: no result was recorded. */
  public static ProxyUndo cutShort() {
    return new ProxyUndo(StepKind.PROXY_SWITCH, null);
  }
}
