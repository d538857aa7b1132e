package dev.cutover.steps.dns;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A dns-ttl or dns-set step's undo (by {@code kind}); it prefers the original the run read first,
 * kept in the run's DNS ledger. It travels in the undo stack as {"kind": "DNS_SET", "dns": ...},
 * the shape histories hold.
 *
 * @param dns the change the run made; {@code null} for a step an abort cut short
 */
public record DnsUndo(StepKind kind, DnsChangeResult dns) implements BuiltInUndo {
  public static DnsUndo of(StepKind kind, DnsChangeResult result) {
    return new DnsUndo(kind, result);
  }

  /** The undo of a step cut short: no change was recorded. */
  public static DnsUndo cutShort(StepKind kind) {
    return new DnsUndo(kind, null);
  }
}
