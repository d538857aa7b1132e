package dev.cutover.steps.parallel;

import dev.cutover.plan.Branch;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.Step;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What validate finds wrong with a parallel group's own fields; its branches' steps are checked as
 * any step of the phase is (the plan's validator walks into them).
 */
final class ParallelChecks {
  /** Branch names show as lanes in status and reports, and in messages: a step name's shape. */
  static final Pattern BRANCH_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** A plan is read by people: beyond this many branches a group is a fleet, not a step. */
  static final int MAX_BRANCHES = 100;

  private ParallelChecks() {}

  static void check(ParallelSpec spec, SpecCheck check) {
    Step group = check.step();
    String name = group.name() == null ? "" : " '" + group.name() + "'";
    if (check.isUndo()) {
      return; // canUndo() refuses it as an undo already
    }
    // The group does nothing itself: these belong on the steps of its branches.
    for (String field : new String[] {"undo", "timeout", "retry", "onFailure"}) {
      if (set(group, field)) {
        check.report(
            field,
            "field '"
                + field
                + "' does not apply to a parallel group"
                + name
                + "; put it on the steps of its branches");
      }
    }
    if (spec.limit() != null && (spec.limit() < 1 || spec.limit() > ParallelSpec.MAX_LIMIT)) {
      check.report(
          "limit",
          "limit "
              + spec.limit()
              + " is out of range 1-"
              + ParallelSpec.MAX_LIMIT
              + ": the most branches of the group running at once");
    }
    List<Branch> branches = spec.branches();
    if (branches.isEmpty()) {
      check.report(
          !spec.branchesGiven() ? null : "branches",
          (!spec.branchesGiven() ? "missing field 'branches': " : "")
              + "a parallel group needs at least one branch, each a name and its steps");
      return;
    }
    if (branches.size() > MAX_BRANCHES) {
      check.report(
          "branches",
          branches.size()
              + " branches in one group; at most "
              + MAX_BRANCHES
              + " (move many services with a fleet)");
    }
    if (spec.limit() == null && branches.size() > ParallelSpec.MAX_LIMIT) {
      check.report(
          "limit",
          "missing field 'limit': "
              + branches.size()
              + " branches would all run at once; at most "
              + ParallelSpec.MAX_LIMIT
              + " can");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < branches.size(); i++) {
      Branch branch = branches.get(i);
      String path = "branches[" + i + "]";
      if (branch == null) {
        check.report(path, "a branch is a mapping with a name and its steps");
        continue;
      }
      if (branch.name() == null || branch.name().isBlank()) {
        check.report(path, "missing field 'name': every branch of a group needs a name");
      } else if (!BRANCH_NAME.matcher(branch.name()).matches()) {
        check.report(
            path + ".name",
            "'"
                + branch.name()
                + "' is not a valid branch name: use letters, digits, '.', '_' and '-', at most 100");
      } else {
        Integer earlier = seen.putIfAbsent(branch.name(), i);
        if (earlier != null) {
          check.report(
              path + ".name",
              "duplicate branch name '"
                  + branch.name()
                  + "' in group"
                  + name
                  + " (first used at branches["
                  + earlier
                  + "])");
        }
      }
      if (branch.stepsOrEmpty().isEmpty()) {
        check.report(
            branch.steps() == null ? path : path + ".steps",
            (branch.steps() == null ? "missing field 'steps': " : "")
                + "branch"
                + (branch.name() == null ? "" : " '" + branch.name() + "'")
                + " has no steps");
      }
    }
  }

  private static boolean set(Step step, String field) {
    return switch (field) {
      case "undo" -> step.undo() != null;
      case "timeout" -> step.timeout() != null;
      case "retry" -> step.retry() != null;
      default -> step.onFailure() != null;
    };
  }
}
