package dev.cutover.plan;

import dev.cutover.approval.AllowedSigner;
import java.util.List;

/**
 * Who may approve a gate and how many must: signatures checked against the plan's {@code
 * approvers}. A gate without one accepts any approval, unsigned, as before.
 */
@Doc("Who must approve a gate: signed approvals from named approvers.")
public record GateApprovalPolicy(
    @Doc("Signed approvals from this many different approvers open the gate (default 1).")
        Integer require,
    @Doc(
            "The approvers (principals of the plan's approvers) whose signatures count; default: every approver.")
        List<String> from,
    @Doc("May the person who started the migration approve this gate? (default false)")
        Boolean selfApproval,
    @Doc(
            "An approval without a signature: refuse (default) or allow (counted as one approval, marked unverified).")
        String unsigned) {

  /** The value of {@code unsigned} that lets an unsigned approval count. */
  public static final String ALLOW = "allow";

  /** The value of {@code unsigned} that refuses an unsigned approval (the default). */
  public static final String REFUSE = "refuse";

  public GateApprovalPolicy {
    from = from == null ? null : List.copyOf(from);
  }

  public int requireOrDefault() {
    return require == null ? 1 : require;
  }

  public boolean selfApprovalOrDefault() {
    return selfApproval != null && selfApproval;
  }

  public boolean allowsUnsigned() {
    return ALLOW.equals(unsigned);
  }

  /**
   * The approvers whose signatures count on this gate: the plan's {@code approvers} lines, parsed,
   * those {@code from} names (all of them without it), in the plan's order. The lines of a plan
   * that validated all parse.
   *
   * @throws IllegalArgumentException for a line that does not parse
   */
  public List<AllowedSigner> signers(List<String> approvers) {
    return approvers.stream()
        .map(AllowedSigner::parse)
        .filter(s -> from == null || from.contains(s.principal()))
        .toList();
  }
}
