package dev.cutover.steps.parallel;

import dev.cutover.plan.SpecCheck;

/** What validate finds wrong with a parallel group's own fields. */
final class ParallelChecks {
  private ParallelChecks() {}

  static void check(ParallelSpec spec, SpecCheck check) {}
}
