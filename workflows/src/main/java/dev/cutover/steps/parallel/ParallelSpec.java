package dev.cutover.steps.parallel;

import dev.cutover.plan.Branch;
import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.util.List;

/**
 * The fields of a {@code parallel} step: a group of branches that run side by side, each branch's
 * steps in order, at most {@code limit} branches at once.
 */
public record ParallelSpec(
    @Doc("Most branches running at once (1..50; default: all of them).") Integer limit,
    @Doc("The branches, each a name and its steps.") List<Branch> branches)
    implements StepSpec {

  /** A group wider than this is a fleet, not a step: its history and status would not be read. */
  public static final int MAX_LIMIT = 50;

  @Override
  public List<Branch> branches() {
    return branches == null ? List.of() : branches;
  }

  /** Whether the file gave the field at all (an empty list is another mistake). */
  boolean branchesGiven() {
    return branches != null;
  }

  @Override
  public boolean groupsBranches() {
    return true;
  }

  @Override
  public int branchesAtOnce() {
    return limit != null ? limit : Math.max(1, Math.min(MAX_LIMIT, branches().size()));
  }

  @Override
  public boolean canUndo() {
    return false;
  }

  @Override
  public void validate(SpecCheck check) {
    ParallelChecks.check(this, check);
  }
}
